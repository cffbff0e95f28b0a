//! Reading a `keys.toml` over the defaults (every problem reported with its line), and writing
//! the whole keymap back out for users to copy and edit.

use super::{Action, Context, Key, Keymap, KeymapError};
use std::path::Path;

type Spanned<T> = toml::Spanned<T>;
type RawSection = std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>;
type RawFile = std::collections::BTreeMap<Spanned<String>, Spanned<RawSection>>;

impl Keymap {
    /// The default keymap with the overrides in a `keys.toml` text applied. The first problem
    /// (by line) is returned as an error naming its line.
    pub fn from_toml(text: &str) -> Result<Keymap, KeymapError> {
        Keymap::from_toml_named(text, "keys.toml")
    }

    fn from_toml_named(text: &str, file: &str) -> Result<Keymap, KeymapError> {
        let err = |line: usize, message: String| KeymapError {
            file: file.to_string(),
            line,
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| crate::profile::line_at(text, s.start)).unwrap_or(0);
            err(line, e.message().trim().to_string())
        })?;
        let mut keymap = Keymap::default();
        let mut errors = Vec::new();
        for (section, table) in &raw {
            let section_line = crate::profile::line_at(text, section.span().start);
            let Some(context) = Context::parse(section.get_ref()) else {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                errors.push(err(
                    section_line,
                    format!(
                        "unknown context \"{}\": expected one of {}",
                        section.get_ref(),
                        names.join(", ")
                    ),
                ));
                continue;
            };
            for (name, value) in table.get_ref() {
                let line = crate::profile::line_at(text, name.span().start);
                let Some(action) = Action::parse(name.get_ref()) else {
                    errors.push(err(
                        line,
                        format!(
                            "unknown action \"{}\" (the help popup, ?, lists them; names look \
                             like open_search)",
                            name.get_ref()
                        ),
                    ));
                    continue;
                };
                let texts: Vec<&str> = match value.get_ref() {
                    toml::Value::String(s) => vec![s.as_str()],
                    toml::Value::Array(items) => {
                        let strings: Option<Vec<&str>> = items.iter().map(|v| v.as_str()).collect();
                        match strings {
                            Some(s) => s,
                            None => {
                                errors.push(err(
                                    line,
                                    format!("{action}: write keys as text, like [\"q\", \"ctrl-q\"]"),
                                ));
                                continue;
                            }
                        }
                    }
                    _ => {
                        errors.push(err(
                            line,
                            format!("{action}: write a key like \"ctrl-s\" or a list of keys"),
                        ));
                        continue;
                    }
                };
                let mut keys = Vec::new();
                for t in texts {
                    match Key::parse(t) {
                        Ok(key) => keys.push(key),
                        Err(why) => errors.push(err(line, format!("cannot read key: {why}"))),
                    }
                }
                keymap.set(context, action, keys, line);
            }
        }
        errors.extend(keymap.problems(file));
        errors.sort_by_key(|e| e.line);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(keymap),
        }
    }

    /// Reads a key bindings file; a file that does not exist means the defaults.
    pub fn load(path: &Path) -> Result<Keymap, KeymapError> {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "keys.toml".to_string());
        match std::fs::read_to_string(path) {
            Ok(text) => Keymap::from_toml_named(&text, &file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Keymap::default()),
            Err(e) => Err(KeymapError {
                file: path.display().to_string(),
                line: 0,
                message: format!("cannot read the key bindings file ({e}); fix or remove it"),
            }),
        }
    }

    /// The whole keymap as a `keys.toml` text, for users to copy and edit.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for &context in Context::ALL {
            out.push_str(&format!("[{context}]\n"));
            for b in &self.contexts[context.index()] {
                let keys: Vec<String> = b
                    .keys
                    .iter()
                    .map(|k| format!("\"{}\"", k.to_string().replace('\\', "\\\\").replace('"', "\\\"")))
                    .collect();
                out.push_str(&format!("{} = [{}]\n", b.action, keys.join(", ")));
            }
            out.push('\n');
        }
        out
    }
}
