//! libyaml's event stream, with each event's start and end marks: the one place that calls
//! the parser under serde_yaml (unsafe-libyaml) directly, so that positions come from the
//! same parser as the values.
//!
//! A mark's `index` counts bytes of the UTF-8 input (unsafe-libyaml advances it by each
//! character's width; C libyaml counted characters), `line` and `column` are 0-based, and
//! `column` counts characters.

use unsafe_libyaml as unsafe_sys;

/// A position in the text: byte index, 0-based line, 0-based column in characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    pub index: usize,
    pub line: usize,
    pub column: usize,
}

impl Mark {
    fn from_sys(m: unsafe_sys::yaml_mark_t) -> Self {
        Mark {
            index: m.index as usize,
            line: m.line as usize,
            column: m.column as usize,
        }
    }
}

/// How a scalar is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Scalar {
        value: String,
        style: Style,
    },
    SequenceStart {
        flow: bool,
    },
    SequenceEnd,
    MappingStart {
        flow: bool,
    },
    MappingEnd,
    Alias,
    /// Stream and document start and end.
    Other,
    StreamEnd,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub kind: Kind,
    pub start: Mark,
    pub end: Mark,
}

/// Frees the parser however the function is left.
struct Parser(Box<std::mem::MaybeUninit<unsafe_sys::yaml_parser_t>>);

impl Drop for Parser {
    fn drop(&mut self) {
        // SAFETY: the parser was initialised (a `Parser` exists only after success).
        unsafe { unsafe_sys::yaml_parser_delete(self.0.as_mut_ptr()) }
    }
}

/// Every event of `text` up to the first error; the error's position, if any.
pub fn events(text: &str) -> (Vec<Event>, Option<Mark>) {
    let mut out = vec![];
    let mut raw = Box::new(std::mem::MaybeUninit::<unsafe_sys::yaml_parser_t>::uninit());
    // SAFETY: `raw` is a heap slot that does not move; `yaml_parser_initialize` fills it. On
    // success the `Parser` guard deletes it. `text` outlives the parser (both are local to
    // this call), and the parser only reads `text.len()` bytes from it.
    unsafe {
        if unsafe_sys::yaml_parser_initialize(raw.as_mut_ptr()).fail {
            return (out, Some(Mark::default()));
        }
        let mut parser = Parser(raw);
        let p = parser.0.as_mut_ptr();
        unsafe_sys::yaml_parser_set_encoding(p, unsafe_sys::YAML_UTF8_ENCODING);
        unsafe_sys::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
        loop {
            let mut ev = std::mem::MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
            if unsafe_sys::yaml_parser_parse(p, ev.as_mut_ptr()).fail {
                let mark = (&*p).problem_mark;
                return (out, Some(Mark::from_sys(mark)));
            }
            let ev = ev.assume_init_mut();
            let kind = convert(ev);
            let done = kind == Kind::StreamEnd;
            out.push(Event {
                kind,
                start: Mark::from_sys(ev.start_mark),
                end: Mark::from_sys(ev.end_mark),
            });
            unsafe_sys::yaml_event_delete(ev);
            if done {
                return (out, None);
            }
        }
    }
}

/// The event's kind, its scalar copied out.
///
/// # Safety
/// `ev` is an event that `yaml_parser_parse` returned and that was not deleted yet.
unsafe fn convert(ev: &unsafe_sys::yaml_event_t) -> Kind {
    unsafe {
        match ev.type_ {
            unsafe_sys::YAML_SCALAR_EVENT => {
                let s = ev.data.scalar;
                let bytes = if s.value.is_null() {
                    &[][..]
                } else {
                    std::slice::from_raw_parts(s.value, s.length as usize)
                };
                Kind::Scalar {
                    value: String::from_utf8_lossy(bytes).into_owned(),
                    style: match s.style {
                        unsafe_sys::YAML_SINGLE_QUOTED_SCALAR_STYLE => Style::SingleQuoted,
                        unsafe_sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE => Style::DoubleQuoted,
                        unsafe_sys::YAML_LITERAL_SCALAR_STYLE => Style::Literal,
                        unsafe_sys::YAML_FOLDED_SCALAR_STYLE => Style::Folded,
                        _ => Style::Plain,
                    },
                }
            }
            unsafe_sys::YAML_SEQUENCE_START_EVENT => Kind::SequenceStart {
                flow: ev.data.sequence_start.style == unsafe_sys::YAML_FLOW_SEQUENCE_STYLE,
            },
            unsafe_sys::YAML_SEQUENCE_END_EVENT => Kind::SequenceEnd,
            unsafe_sys::YAML_MAPPING_START_EVENT => Kind::MappingStart {
                flow: ev.data.mapping_start.style == unsafe_sys::YAML_FLOW_MAPPING_STYLE,
            },
            unsafe_sys::YAML_MAPPING_END_EVENT => Kind::MappingEnd,
            unsafe_sys::YAML_ALIAS_EVENT => Kind::Alias,
            unsafe_sys::YAML_STREAM_END_EVENT => Kind::StreamEnd,
            _ => Kind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_count_bytes_and_columns_count_characters() {
        let text = "tên: Thu ngân sách\nsố: 1.146\n";
        let (evs, err) = events(text);
        assert_eq!(err, None);
        let scalars: Vec<(&str, Mark, Mark)> = evs
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::Scalar { value, .. } => Some((value.as_str(), e.start, e.end)),
                _ => None,
            })
            .collect();
        let (v, start, end) = scalars[3];
        assert_eq!(v, "1.146");
        // Byte index: "tên: Thu ngân sách\n" is 23 bytes; "số: " is 6 bytes.
        assert_eq!(&text[start.index..end.index], "1.146");
        assert_eq!((start.line, start.column), (1, 4));
        let (v, start, end) = scalars[1];
        assert_eq!(&text[start.index..end.index], v);
        assert_eq!((start.line, start.column, end.column), (0, 5, 18));
    }

    #[test]
    fn crlf_and_an_error_are_located() {
        let text = "a: 1\r\nb: [2\r\n";
        let (evs, err) = events(text);
        let err = err.expect("an unclosed list");
        assert!(err.line >= 1, "{err:?}");
        assert!(
            evs.iter()
                .any(|e| matches!(&e.kind, Kind::Scalar { value, .. } if value == "b"))
        );
        let (_, err) = events("");
        assert_eq!(err, None);
    }
}
