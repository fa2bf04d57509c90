//! Small reusable pieces: chips and badges, controls named without their icon, a spinner that does not redraw at full speed,
//! copyable value rows, passphrase fields, inline messages, the question asked before a file
//! is replaced, and the few text helpers every screen formats with. They know nothing about
//! credentials or pushes.

mod chip;
mod copy_row;
mod icon_label;
mod json_editor;
mod notice;
mod paced_spinner;
mod path_field;
mod replace_prompt;
mod secret_field;
mod words;

pub use chip::chip;
pub use copy_row::{CopyRows, copy_row};
pub use icon_label::{icon_label, named_by_words};
pub use json_editor::json_editor;
pub use notice::{Message, notice};
pub use paced_spinner::paced_spinner;
pub use path_field::path_field;
pub use replace_prompt::ReplacePrompt;
pub use secret_field::secret_field;
pub use words::{capitalise, file_name, group_digits, millis, shorten};
