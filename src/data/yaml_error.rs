//! serde_yaml's and libyaml's English messages as located Vietnamese diagnostics.

use super::positions::SourceFile;
use super::scalar::HINT_SEP;
use crate::diag::{Diagnostic, Location};

/// The first tab in the indentation of a line (YAML forbids it; libyaml's own message would
/// not say where).
pub(crate) fn find_tab_indent(src: &SourceFile) -> Option<Location> {
    (0..src.line_count()).find_map(|i| {
        let line = src.line_text(i);
        let lead = line.chars().take_while(|c| *c == ' ' || *c == '\t');
        let pos = lead.into_iter().position(|c| c == '\t')?;
        Some(
            Location::at(&src.path, i + 1, pos + 1)
                .with_snippet(crate::diag::Snippet::new(line, pos, 1)),
        )
    })
}

pub(crate) fn yaml_diagnostic(src: &SourceFile, e: &serde_yaml::Error) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C" (or " at position N"), and libyaml a context
    // (", while parsing a block mapping …"); we print the location ourselves.
    let cut = [" at line ", " at position ", ", while "]
        .iter()
        .filter_map(|m| raw.find(m))
        .min();
    let mut msg = match cut {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let mut hint = None;
    if let Some(i) = msg.find(HINT_SEP) {
        hint = Some(msg[i + HINT_SEP.len()..].to_string());
        msg.truncate(i);
    }
    // A custom message may carry a path prefix ("chi_tieu[2].ke_hoach: ..."); a key may hold
    // spaces ("Số vụ tai nạn: ..."). Only serde's own "invalid type: …" and "invalid value: …"
    // have a ": " that is not after a path.
    let (field_path, body) = match msg.split_once(": ") {
        Some((p, b)) if !p.is_empty() && !matches!(p, "invalid type" | "invalid value") => {
            (Some(p.to_string()), b.to_string())
        }
        _ => (None, msg.clone()),
    };
    let syntax = yaml_syntax(&body);
    let mut message = match &syntax {
        Some((m, _)) => m.clone(),
        None => translate_serde(&body),
    };
    if let Some(p) = field_path {
        message = format!("{message} (tại `{p}`)");
    }
    let mut loc = match e.location() {
        Some(l) => {
            let outer = body.starts_with("missing field");
            src.error_location(l.index(), l.line(), l.column(), outer)
        }
        None => Location::file(&src.path),
    };
    // A repeated key is reported where its map starts: point at the repetition instead.
    let repeated = body
        .strip_prefix("duplicate field `")
        .or_else(|| body.strip_prefix("khóa `"))
        .and_then(|r| r.split('`').next());
    if let (Some(key), Some(l)) = (repeated, e.location())
        && let Some(at) = src.repeated_key(l.index(), key)
    {
        loc = at;
    }
    let mut d = Diagnostic::error(message).at(loc);
    if let Some(h) = hint {
        d = d.hint(h);
    } else if let Some(h) = syntax.and_then(|(_, h)| h) {
        d = d.hint(h);
    } else {
        for h in serde_hints(&body) {
            d = d.hint(h);
        }
    }
    d
}

/// libyaml's syntax messages, in Vietnamese, each with a hint where the fix is known.
fn yaml_syntax(msg: &str) -> Option<(String, Option<String>)> {
    const QUOTE: &str = "đặt giá trị trong dấu ngoặc kép, ví dụ `ten: \"@ABC: x\"`";
    let table: &[(&str, &str, &str)] = &[
        (
            "did not find expected ',' or ']'",
            "danh sách mở bằng `[` chưa đóng hoặc thiếu dấu `,` giữa các mục",
            "viết `[a, b, c]` trên một dòng, hoặc mỗi mục một dòng bắt đầu bằng `- `",
        ),
        (
            "did not find expected ',' or '}'",
            "bảng mở bằng `{` chưa đóng hoặc thiếu dấu `,` giữa các mục",
            "viết `{ ten: …, gia_tri: … }` trên một dòng",
        ),
        (
            "did not find expected key",
            "thụt lề không thẳng hàng: dòng này không phải là một khóa của bảng bên trên",
            "các khóa cùng cấp phải thẳng cột; giá trị có dấu `:` hay bắt đầu bằng ký tự đặc biệt thì đặt trong ngoặc kép",
        ),
        (
            "did not find expected '-' indicator",
            "thụt lề không thẳng hàng trong danh sách",
            "các mục của một danh sách bắt đầu bằng `- ` ở cùng một cột",
        ),
        (
            "did not find expected node content",
            "thiếu giá trị hoặc có ký tự không đúng chỗ",
            "kiểm tra dấu ngoặc và dấu `,` ở dòng này",
        ),
        (
            "did not find expected comment or line break",
            "có chữ thừa sau giá trị",
            "sau một giá trị trong ngoặc kép chỉ được xuống dòng hoặc ghi chú thích bắt đầu bằng `#`",
        ),
        (
            "could not find expected ':'",
            "thiếu dấu `:` sau khóa",
            "mỗi dòng của bảng có dạng `khóa: giá trị`; một giá trị dài nhiều dòng thì đặt trong ngoặc kép",
        ),
        (
            "found character that cannot start any token",
            "giá trị bắt đầu bằng ký tự YAML không cho phép (`@`, `` ` ``, `%`, …)",
            QUOTE,
        ),
        (
            "found unexpected end of stream",
            "tệp kết thúc giữa chừng: dấu ngoặc kép chưa đóng",
            "đóng dấu ngoặc kép `\"` ở cuối giá trị",
        ),
        (
            "found unknown escape character",
            "ký tự `\\` không hợp lệ trong chuỗi ngoặc kép",
            "dùng ngoặc đơn `'…'`, hoặc viết `\\\\` cho một dấu `\\`",
        ),
        ("found unexpected ':'", "dấu `:` không đúng chỗ", QUOTE),
        (
            "mapping values are not allowed",
            "dấu `:` không đúng chỗ",
            "giá trị có chứa `: ` phải đặt trong ngoặc kép; hoặc kiểm tra thụt lề của dòng này",
        ),
        (
            "block sequence entries are not allowed",
            "dấu `-` của danh sách không đúng chỗ",
            "mục danh sách `- ` phải nằm trên dòng riêng, thụt lề dưới khóa của nó; số âm hay dấu gạch đứng một mình thì đặt trong ngoặc kép",
        ),
        (
            "mapping keys are not allowed",
            "khóa phức `?` không đúng chỗ",
            "các khóa là chữ thường không dấu, viết `khóa: giá trị`",
        ),
        (
            "found a tab character",
            "YAML không cho phép thụt lề bằng ký tự Tab",
            "thay Tab bằng dấu cách",
        ),
        (
            "control characters are not allowed",
            "tệp chứa ký tự điều khiển: có vẻ là tệp nhị phân, không phải YAML",
            "kiểm tra xem có chọn nhầm tệp không; tệp số liệu là văn bản YAML lưu bằng UTF-8",
        ),
        (
            "found undefined tag handle",
            "nhãn YAML `!` không xác định",
            "bỏ nhãn bắt đầu bằng `!`; giá trị có `!` ở đầu thì đặt trong ngoặc kép",
        ),
        (
            "found unexpected document indicator",
            "dòng `---` hoặc `...` không đúng chỗ",
            "mỗi tệp chỉ chứa một tài liệu YAML: bỏ dòng `---` hay `...` này",
        ),
        (
            "deserializing from YAML containing more than one document",
            "tệp chứa nhiều tài liệu YAML (ngăn bởi `---`)",
            "mỗi tệp chỉ chứa một tài liệu YAML: bỏ dòng `---` (hoặc `...`) ở giữa tệp",
        ),
        (
            "unknown anchor",
            "tham chiếu `*tên` đến một neo `&tên` không có",
            "viết giá trị trực tiếp thay vì dùng `&` và `*`",
        ),
        (
            "repetition limit exceeded",
            "tham chiếu `*tên` được nhân lên quá nhiều lần",
            "viết giá trị trực tiếp thay vì dùng `&` và `*`",
        ),
        (
            "recursion limit exceeded",
            "YAML lồng quá sâu",
            "số liệu chỉ cần vài cấp: kiểm tra các dấu `[`, `{` và thụt lề",
        ),
        (
            "EOF while parsing",
            "tệp rỗng",
            "tệp số liệu phải có ít nhất một dòng `khóa: giá trị`",
        ),
        (
            "expected a mapping",
            "khóa gộp `<<` cần một bảng `&tên`",
            "viết các khóa trực tiếp thay vì dùng `<<`",
        ),
        (
            "unexpected tagged value in merge",
            "khóa gộp `<<` cần một bảng `&tên`",
            "viết các khóa trực tiếp thay vì dùng `<<`",
        ),
        (
            "empty YAML tag",
            "nhãn YAML `!` rỗng",
            "giá trị có `!` ở đầu thì đặt trong ngoặc kép",
        ),
        (
            "failed to parse YAML number",
            "không đọc được số",
            "số viết theo mẫu `1.146` hoặc `2.976,4`",
        ),
    ];
    if let Some((_, vi, hint)) = table.iter().find(|(en, _, _)| msg.starts_with(en)) {
        return Some((format!("sai cú pháp YAML: {vi}"), Some(hint.to_string())));
    }
    // Any other message of libyaml's scanner or parser (they are English, lower-case).
    let english = [
        "did not find",
        "could not find",
        "found ",
        "while ",
        "incomplete ",
        "unexpected ",
    ];
    let encoding = msg.starts_with("invalid ") && (msg.contains("UTF") || msg.contains("Unicode"));
    (encoding || english.iter().any(|p| msg.starts_with(p))).then(|| {
        (
            "sai cú pháp YAML".to_string(),
            Some(
                "kiểm tra thụt lề, dấu `:`, dấu ngoặc và dấu ngoặc kép ở dòng này và dòng trên"
                    .to_string(),
            ),
        )
    })
}

/// serde's English messages, in Vietnamese.
fn translate_serde(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("thiếu trường {rest}");
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("trường {field} không có trong mẫu dữ liệu");
    }
    if let Some(rest) = msg.strip_prefix("duplicate field ") {
        return format!("trường {rest} bị lặp lại");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!(
            "sai kiểu dữ liệu: gặp {}, cần {}",
            translate_kind(got),
            translate_kind(expected)
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!(
            "giá trị không hợp lệ: gặp {}, cần {}",
            translate_kind(got),
            translate_kind(expected)
        );
    }
    if msg.starts_with("duplicate entry") {
        return format!("khóa bị lặp lại ({msg})");
    }
    if msg.contains("recursion limit exceeded") {
        return "YAML lồng quá sâu".into();
    }
    if msg.contains("mapping values are not allowed") {
        return "sai cú pháp YAML: dấu `:` không đúng chỗ".into();
    }
    if msg.contains("did not find expected")
        || msg.contains("found character that cannot start any token")
        || msg.contains("could not find expected")
        || msg.contains("found unexpected")
        || msg.contains("while scanning")
        || msg.contains("while parsing")
    {
        return format!("sai cú pháp YAML ({msg})");
    }
    msg.to_string()
}

fn translate_kind(s: &str) -> String {
    let s = s.trim();
    let map = [
        ("a sequence", "một danh sách"),
        ("sequence", "một danh sách"),
        ("a map", "một bảng khóa: giá trị"),
        ("map", "một bảng khóa: giá trị"),
        ("a string", "một dòng chữ"),
        ("a boolean", "true hoặc false"),
        ("boolean", "true hoặc false"),
        ("unit value", "giá trị trống"),
        // (`so_thap_phan` is the only u32 of the data.)
        ("u32", "một số nguyên từ 0 đến 6"),
        ("field identifier", "tên một trường (chữ thường không dấu)"),
        ("a borrowed string", "một dòng chữ"),
        ("floating point", "một số thực"),
        ("a character", "một ký tự"),
        ("unit", "giá trị trống"),
        ("struct Meta", "bảng thông tin văn bản"),
        ("struct IndicatorFile", "bảng có khóa chi_tieu"),
        ("struct Indicator", "bảng mô tả một chỉ tiêu"),
        ("struct PeriodValues", "bảng số liệu của kỳ"),
        ("struct Component", "bảng {ten, gia_tri}"),
        ("struct TiedRatio", "bảng {ty_le, thuc_hien}"),
        ("struct Signer", "bảng người ký"),
        ("struct PeriodMeta", "bảng thông tin của kỳ"),
        ("struct TableSpec", "bảng có khóa nhom"),
        ("struct TableGroup", "bảng {ten, chi_tieu}"),
    ];
    for (en, vi) in map {
        if s == en {
            return vi.to_string();
        }
    }
    if let Some(v) = s.strip_prefix("integer ") {
        return format!("số nguyên {v}");
    }
    if let Some(v) = s.strip_prefix("string ") {
        return format!("chữ {v}");
    }
    if let Some(v) = s.strip_prefix("boolean ") {
        return format!("giá trị logic {v}");
    }
    s.to_string()
}

/// Hints for serde's messages: for an unknown field, the nearest field name ("có phải là
/// `ke_hoach`?") and the list of fields.
fn serde_hints(msg: &str) -> Vec<String> {
    let mut out = vec![];
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        if !field.is_empty() && field.chars().all(|c| c.is_ascii_digit()) {
            out.push(
                "trong `{ … }` dấu phẩy ngăn các mục, nên `84,34` bị cắt đôi: viết mỗi khóa trên một dòng, hoặc đặt số trong ngoặc kép `\"84,34\"`"
                    .into(),
            );
            return out;
        }
        if let Some((_, expected)) = rest.split_once("expected ") {
            let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            if let Some(n) = crate::text::nearest(field, names.iter().copied()) {
                out.push(format!("có phải là `{n}`?"));
            }
            out.push(format!(
                "các trường được dùng: {}",
                expected.replace("one of ", "").replace(" or ", " hoặc ")
            ));
        }
    }
    out
}
