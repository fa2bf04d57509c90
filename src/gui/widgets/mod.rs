//! Small reusable pieces: chips and badges, copyable value rows, passphrase fields, inline
//! messages. They know nothing about credentials or pushes.

mod chip;
mod copy_row;
mod json_editor;
mod notice;
mod secret_field;

pub use chip::chip;
pub use copy_row::{CopyRows, copy_row};
pub use json_editor::json_editor;
pub use notice::notice;
pub use secret_field::secret_field;
