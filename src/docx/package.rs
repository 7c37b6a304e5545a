//! The package: the parts in the given order in a zip file whose every entry has the same
//! date (1980-01-01 00:00, the earliest a zip can hold), Unix attributes and deflate level, so
//! the same parts always give the same bytes, whatever the machine, clock or zip features.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::diag::{Error, Result};

fn failed(e: impl std::fmt::Display) -> Error {
    Error::msg(format!("bản Word: không đóng gói được tệp .docx: {e}"))
}

/// Zip `parts` (name, bytes), in order.
pub fn zip(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let options = SimpleFileOptions::DEFAULT
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::DEFAULT)
        .system(System::Unix)
        .unix_permissions(0o644);
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        w.start_file(name.as_str(), options).map_err(failed)?;
        w.write_all(bytes).map_err(failed)?;
    }
    Ok(w.finish().map_err(failed)?.into_inner())
}
