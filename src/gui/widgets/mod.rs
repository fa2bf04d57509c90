//! Small reusable pieces: chips and badges, copyable value rows, passphrase fields, inline
//! messages. They know nothing about credentials or pushes.

mod chip;
mod copy_row;
mod notice;
mod secret_field;

pub use chip::chip;
pub use copy_row::{CopyRows, copy_row};
pub use notice::notice;
pub use secret_field::secret_field;
