//! Small reusable pieces: chips and badges, copyable value rows, passphrase fields, inline
//! messages, the question asked before a file is replaced. They know nothing about credentials
//! or pushes.

mod chip;
mod copy_row;
mod json_editor;
mod notice;
mod replace_prompt;
mod secret_field;

pub use chip::chip;
pub use copy_row::{CopyRows, copy_row};
pub use json_editor::json_editor;
pub use notice::notice;
pub use replace_prompt::ReplacePrompt;
pub use secret_field::secret_field;
