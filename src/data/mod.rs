//! Stage 1: load the report folder's data/ (YAML) into a `DataSet`.
//!
//! Every figure is read from its scalar's own text (never YAML's float), so `1.146` is one
//! thousand one hundred and forty-six. Errors name the file, line and column, with the line.
//!
//! - `read`: the data files read into memory (`DataFiles`), from disk or given as bytes (a
//!   git revision), each kept exactly as written, with the checks before YAML;
//! - `events`: libyaml's event stream with its marks (the parser under serde_yaml);
//! - `positions`: each file's tree of nodes with their byte ranges (`SourceFile`), by YAML
//!   path (`chi_tieu[3].ky.6-thang.thuc_hien`): where every key and value is written;
//! - `edit`: in-place edits through those positions (replace a value, insert a key);
//! - `patch`: many such edits of one file from one parse, applied together (import);
//! - `scalar`: figures, plans, dates and texts read from their text; the maps of the files;
//! - `model`: the data model (`DataSet`, `Indicator`, …);
//! - `yaml_error`: serde_yaml's messages in Vietnamese, located;
//! - `load`: parsing every file in memory, then the checks that need the whole set.

mod edit;
pub(crate) mod events;
mod load;
mod model;
mod patch;
mod positions;
mod read;
mod scalar;
mod yaml_error;

pub use crate::period::{Period, Year};
pub use edit::{Insert, NewValue, yaml_scalar};
pub use events::{Mark, Style};
pub use load::*;
pub use model::*;
pub use patch::Patch;
pub use positions::{Entry, Node, NodeRef, Seg, SourceFile, Span, YamlPath};
pub use read::{DataFiles, MAX_DATA_FILE, decode, is_data_file, read_text};
pub use scalar::*;
