//! A small XML builder on quick-xml for the package's parts: elements opened and closed in
//! order (a stack checks the nesting), attribute values and text escaped by quick-xml, and
//! the characters XML 1.0 cannot hold dropped from text (Word refuses a part that has them).

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::diag::{Error, Result};

/// One part being written.
pub struct Xml {
    w: Writer<Vec<u8>>,
    open: Vec<&'static str>,
    failed: Option<String>,
}

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

impl Xml {
    /// A part, starting with `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`.
    pub fn new() -> Self {
        let mut x = Xml {
            w: Writer::new(Vec::with_capacity(4096)),
            open: vec![],
            failed: None,
        };
        x.event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        x.raw_newline();
        x
    }

    fn event(&mut self, e: Event<'_>) {
        if let Err(e) = self.w.write_event(e) {
            self.failed.get_or_insert_with(|| e.to_string());
        }
    }

    fn raw_newline(&mut self) {
        self.w.get_mut().push(b'\n');
    }

    fn start(name: &'static str, attrs: &[(&str, &str)]) -> BytesStart<'static> {
        let mut s = BytesStart::new(name);
        for (k, v) in attrs {
            s.push_attribute((*k, *v));
        }
        s
    }

    /// `<name attrs>`; closed by [`Xml::close`].
    pub fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) -> &mut Self {
        self.event(Event::Start(Self::start(name, attrs)));
        self.open.push(name);
        self
    }

    /// `</name>` of the innermost open element.
    pub fn close(&mut self) -> &mut Self {
        match self.open.pop() {
            Some(name) => self.event(Event::End(BytesEnd::new(name))),
            None => {
                self.failed
                    .get_or_insert_with(|| "đóng một phần tử chưa mở".into());
            }
        }
        self
    }

    /// `<name attrs/>`.
    pub fn empty(&mut self, name: &'static str, attrs: &[(&str, &str)]) -> &mut Self {
        self.event(Event::Empty(Self::start(name, attrs)));
        self
    }

    /// `<name/>` with one `w:val`.
    pub fn val(&mut self, name: &'static str, val: &str) -> &mut Self {
        self.empty(name, &[("w:val", val)])
    }

    /// Text, escaped; characters XML cannot hold are dropped.
    pub fn text(&mut self, s: &str) -> &mut Self {
        let clean = xml_chars(s);
        self.event(Event::Text(BytesText::new(&clean)));
        self
    }

    /// `<name attrs>text</name>`.
    pub fn leaf(&mut self, name: &'static str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.open(name, attrs).text(text).close()
    }

    /// The part's bytes; every element must be closed.
    pub fn finish(self) -> Result<Vec<u8>> {
        if let Some(e) = self.failed {
            return Err(Error::msg(format!("bản Word: không ghi được XML: {e}")));
        }
        if let Some(name) = self.open.last() {
            return Err(Error::msg(format!("bản Word: phần tử `{name}` chưa đóng")));
        }
        Ok(self.w.into_inner())
    }
}

/// The characters XML 1.0 allows (tab, newline, carriage return, and from U+0020 on, without
/// U+FFFE/U+FFFF); the others are dropped.
pub fn xml_chars(s: &str) -> Cow<'_, str> {
    let ok = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    if s.chars().all(ok) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| ok(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_escapes_and_checks_the_nesting() {
        let mut x = Xml::new();
        x.open("w:p", &[("a", "x\"<&>")])
            .leaf("w:t", &[], "1 < 2 & \u{1}ư\u{FFFF}")
            .empty("w:br", &[])
            .close();
        let s = String::from_utf8(x.finish().unwrap()).unwrap();
        assert_eq!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <w:p a=\"x&quot;&lt;&amp;&gt;\"><w:t>1 &lt; 2 &amp; ư</w:t><w:br/></w:p>"
        );
        let mut unclosed = Xml::new();
        unclosed.open("w:p", &[]);
        assert!(unclosed.finish().is_err());
        let mut extra = Xml::new();
        extra.close();
        assert!(extra.finish().is_err());
    }
}
