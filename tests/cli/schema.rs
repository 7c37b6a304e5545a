//! data/schema.json: the shipped data validates, a wrong file does not, and the schema names
//! exactly the fields of the Rust data model (baocao::data) and the four period keys.

use crate::fixture::*;
use std::process::Command;

pub(crate) fn validate(root: &std::path::Path) -> std::process::Output {
    Command::new("python3")
        .arg(repo().join("tests/schema_check.py"))
        .arg(root)
        .output()
        .expect("python3 with jsonschema and PyYAML (pip install jsonschema pyyaml)")
}

#[test]
fn shipped_data_matches_the_schema() {
    let out = validate(&repo());
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn schema_rejects_a_bad_id_and_an_unknown_key() {
    let f = Fixture::default_report();
    f.write(
        "data/chi-tieu/thu.yaml",
        "chi_tieu:\n  - id: Sai-Ma\n    ten: A\n    khoa_la: 1\n",
    );
    let out = validate(&f.root);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("thu.yaml"));
}

// ---------------------------------------------------------------------------------------------
// data/schema.json against the Rust types, field for field

/// A deserializer that answers nothing but records the field list serde's derive passes to
/// `deserialize_struct`: the Rust fields of a struct as the data files spell them (renames
/// applied, `#[serde(skip)]` fields left out), without touching src/.
struct FieldRecorder<'a>(&'a mut Option<(&'static str, &'static [&'static str])>);

#[derive(Debug)]
struct Recorded;

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fields recorded")
    }
}

impl std::error::Error for Recorded {}

impl serde::de::Error for Recorded {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Recorded
    }
}

impl<'de> serde::Deserializer<'de> for FieldRecorder<'_> {
    type Error = Recorded;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Recorded> {
        Err(Recorded)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Recorded> {
        *self.0 = Some((name, fields));
        Err(Recorded)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The struct name and field names serde's derive gives for `T`.
fn rust_fields<T: serde::de::DeserializeOwned>() -> (&'static str, Vec<&'static str>) {
    let mut seen = None;
    let _ = T::deserialize(FieldRecorder(&mut seen));
    let (name, fields) = seen.expect("a struct deserialized through deserialize_struct");
    (name, fields.to_vec())
}

fn schema() -> serde_json::Value {
    let text = std::fs::read_to_string(repo().join("data/schema.json")).unwrap();
    serde_json::from_str(&text).expect("data/schema.json is JSON")
}

/// The object at a JSON pointer of the schema, following `$ref`s on the way and at the end.
fn at<'a>(schema: &'a serde_json::Value, pointer: &str) -> &'a serde_json::Value {
    let resolve = |mut v: &'a serde_json::Value| {
        while let Some(r) = v.get("$ref").and_then(|r| r.as_str()) {
            let p = r.strip_prefix('#').expect("a local $ref");
            v = schema
                .pointer(p)
                .unwrap_or_else(|| panic!("$ref {r} points nowhere"));
        }
        v
    };
    let mut v = resolve(schema);
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        let next = match (v.as_array(), part.parse::<usize>()) {
            (Some(items), Ok(i)) => items.get(i),
            _ => v.get(&part),
        };
        v = resolve(next.unwrap_or_else(|| panic!("no `{part}` on the way to {pointer}")));
    }
    v
}

fn property_names(object: &serde_json::Value, pointer: &str) -> Vec<String> {
    let mut names: Vec<String> = object
        .get("properties")
        .and_then(|p| p.as_object())
        .unwrap_or_else(|| panic!("{pointer} has no properties"))
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

/// Every Rust struct of the data model against the schema object that describes it: the same
/// fields both ways, unknown fields refused (as `deny_unknown_fields` does), every required
/// field a property. Then the period keys.
#[test]
fn schema_matches_the_rust_types_field_for_field() {
    use baocao::data::*;
    let schema = schema();
    let pairs: Vec<((&str, Vec<&str>), &str)> = vec![
        (rust_fields::<Meta>(), "/definitions/tep_bao_cao"),
        (rust_fields::<PeriodMeta>(), "/definitions/thong_tin_ky"),
        (
            rust_fields::<Signer>(),
            "/definitions/tep_bao_cao/properties/nguoi_ky",
        ),
        (rust_fields::<IndicatorFile>(), "/definitions/tep_chi_tieu"),
        (rust_fields::<Indicator>(), "/definitions/chi_tieu"),
        (rust_fields::<PeriodValues>(), "/definitions/so_lieu_ky"),
        (
            rust_fields::<Component>(),
            "/definitions/so_lieu_ky/properties/thanh_phan/items",
        ),
        (
            rust_fields::<TiedRatio>(),
            "/definitions/ty_le_ghi_tay/anyOf/1",
        ),
        (rust_fields::<TableSpec>(), "/definitions/tep_bieu"),
        (
            rust_fields::<TableGroup>(),
            "/definitions/tep_bieu/properties/nhom/items",
        ),
    ];
    let mut problems = vec![];
    for ((name, fields), pointer) in &pairs {
        let object = at(&schema, pointer);
        let props = property_names(object, pointer);
        let mut rust: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        rust.sort();
        for f in rust.iter().filter(|f| !props.contains(f)) {
            problems.push(format!("{name}.{f} is not a property of {pointer}"));
        }
        for p in props.iter().filter(|p| !rust.contains(p)) {
            problems.push(format!("{pointer}: property `{p}` is no field of {name}"));
        }
        if object.get("additionalProperties") != Some(&serde_json::Value::Bool(false)) {
            problems.push(format!(
                "{pointer}: additionalProperties is not false, but {name} refuses unknown fields"
            ));
        }
        for r in object
            .get("required")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            if !r.as_str().is_some_and(|r| rust.iter().any(|f| f == r)) {
                problems.push(format!("{pointer}: required `{r}` is no field of {name}"));
            }
        }
    }
    // The period keys: the same four, wherever the schema names periods.
    let mut keys: Vec<String> = baocao::period::Period::ALL
        .iter()
        .map(|p| p.key().to_string())
        .collect();
    keys.sort();
    for pointer in [
        "/definitions/tep_bao_cao/properties/cac_ky",
        "/definitions/chi_tieu/properties/ky",
    ] {
        let object = at(&schema, pointer);
        if property_names(object, pointer) != keys {
            problems.push(format!("{pointer}: period keys are not {keys:?}"));
        }
        if object.get("additionalProperties") != Some(&serde_json::Value::Bool(false)) {
            problems.push(format!("{pointer}: additionalProperties is not false"));
        }
    }
    let pointer = "/definitions/tep_bao_cao/properties/ky_mac_dinh/enum";
    let mut listed: Vec<String> = at(&schema, pointer)
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect();
    listed.sort();
    if listed != keys {
        problems.push(format!("{pointer}: {listed:?}, want {keys:?}"));
    }
    let total: usize = pairs.iter().map(|((_, f), _)| f.len()).sum();
    println!(
        "schema: {} kiểu, {total} trường, {} kỳ khớp với data/schema.json",
        pairs.len(),
        keys.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_field_recorder_sees_a_struct_s_fields() {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Probe {
        a: u8,
        #[serde(rename = "b-b")]
        b: u8,
        #[serde(skip)]
        c: u8,
    }
    assert_eq!(rust_fields::<Probe>(), ("Probe", vec!["a", "b-b"]));
}

// ---------------------------------------------------------------------------------------------
// templates/HUONG-DAN.md, section 5, against data/schema.json: every key documented

/// Every key path the schema describes under `node`: `co_quan`, `cac_ky.<kỳ>.so`,
/// `chi_tieu[].ky.<kỳ>.thanh_phan[].gia_tri`, `<khóa>` (any key of a so-lieu file).
fn key_paths(
    schema: &serde_json::Value,
    node: &serde_json::Value,
    prefix: &str,
    out: &mut Vec<String>,
) {
    let mut node = node;
    while let Some(r) = node.get("$ref").and_then(|r| r.as_str()) {
        node = schema
            .pointer(r.trim_start_matches('#'))
            .expect("a $ref that resolves");
    }
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    if let Some(props) = node.get("properties").and_then(|p| p.as_object()) {
        let periods = !props.is_empty()
            && props
                .keys()
                .all(|k| baocao::period::Period::from_key(k).is_some());
        if periods {
            // One block a period, all alike: documented once as `<kỳ>`.
            for v in props.values().take(1) {
                key_paths(schema, v, &join("<kỳ>"), out);
            }
        } else {
            for (k, v) in props {
                let p = join(k);
                out.push(p.clone());
                key_paths(schema, v, &p, out);
            }
        }
    }
    if let Some(items) = node.get("items") {
        key_paths(schema, items, &format!("{prefix}[]"), out);
    }
    if node
        .get("additionalProperties")
        .is_some_and(|a| a.is_object())
    {
        out.push(join("<khóa>"));
    }
}

/// One documented key: its path, and its meaning, example and default.
type Row = (String, [String; 3]);

/// The rows of each `### data/…` table of section 5, by heading.
fn documented_keys(doc: &str) -> Vec<(String, Vec<Row>)> {
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with("5."))
        .expect("HUONG-DAN.md has a section `## 5.`");
    let mut out: Vec<(String, Vec<Row>)> = vec![];
    for line in section.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            if h.starts_with("data/") {
                out.push((h.to_string(), vec![]));
            }
            continue;
        }
        let Some((_, rows)) = out.last_mut() else {
            continue;
        };
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() != 6 || !cells[1].starts_with('`') {
            continue;
        }
        let key = cells[1].trim_matches('`').to_string();
        rows.push((key, [cells[2].into(), cells[3].into(), cells[4].into()]));
    }
    out
}

/// Section 5 of templates/HUONG-DAN.md names every key of data/schema.json, file by file, with
/// its meaning, an example and its default; and no key the schema does not have.
#[test]
fn every_key_of_the_schema_is_documented_with_meaning_example_and_default() {
    let schema = schema();
    let doc = std::fs::read_to_string(repo().join("templates/HUONG-DAN.md")).unwrap();
    let documented = documented_keys(&doc);
    let files = [
        ("data/bao-cao.yaml", "tep_bao_cao"),
        ("data/chi-tieu/*.yaml", "tep_chi_tieu"),
        ("data/bieu.yaml", "tep_bieu"),
        ("data/so-lieu/*.yaml", "tep_so_lieu"),
    ];
    // Every kind of file the schema describes is one of these.
    let kinds: Vec<String> = schema["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["$ref"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut listed: Vec<String> = files.iter().map(|(_, d)| d.to_string()).collect();
    listed.sort();
    let mut kinds_sorted = kinds.clone();
    kinds_sorted.sort();
    assert_eq!(kinds_sorted, listed, "a kind of data file with no section");
    let mut problems = vec![];
    let mut total = 0;
    for (heading, def) in files {
        let Some((_, rows)) = documented.iter().find(|(h, _)| h.starts_with(heading)) else {
            problems.push(format!("no `### {heading}` table in section 5"));
            continue;
        };
        let mut want = vec![];
        key_paths(&schema, &schema["definitions"][def], "", &mut want);
        for key in &want {
            match rows.iter().find(|(k, _)| k == key) {
                None => problems.push(format!("{heading}: `{key}` is not documented")),
                Some((_, cells)) => {
                    for (what, c) in ["meaning", "example", "default"].iter().zip(cells) {
                        if c.is_empty() {
                            problems.push(format!("{heading}: `{key}` has no {what}"));
                        }
                    }
                }
            }
        }
        for (k, _) in rows {
            if !want.contains(k) {
                problems.push(format!(
                    "{heading}: `{k}` is documented but not in the schema"
                ));
            }
        }
        total += want.len();
    }
    println!("HUONG-DAN.md: {total} khóa khớp với data/schema.json");
    assert!(total > 40, "too few keys found: {total}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
