//! Warnings about template text that Typst would read differently from what its writer meant.

use std::path::Path;

use super::env::templates_dir;
use crate::diag::{Diagnostic, Location, Snippet};

/// Warnings about template text that Typst would read differently from what the writer meant:
/// a `;` right after the `]` of a `#call[...]` ends the call and disappears from the PDF.
pub fn lint_templates(root: &Path) -> Vec<Diagnostic> {
    let mut out = vec![];
    let mut stack = vec![templates_dir(root)];
    let mut files = vec![];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".typ.j2") {
                files.push(p);
            }
        }
    }
    files.sort();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if let Some(col) = line.find("];")
                && line[..col].contains('#')
                && !line.trim_start().starts_with("#let")
            {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                // The `;`, in characters (the line may hold Vietnamese before it).
                let semicolon = line[..col].chars().count() + 1;
                out.push(
                    Diagnostic::warning(
                        "dấu `;` ngay sau `]` của một lệnh `#…[…]` bị Typst nuốt mất",
                    )
                    .at(Location::at(rel, i + 1, semicolon + 1)
                        .with_snippet(Snippet::new(line, semicolon, 1)))
                    .hint("viết `]\\;` để in dấu `;`"),
                );
            }
        }
    }
    out
}
