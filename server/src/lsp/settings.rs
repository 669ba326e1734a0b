//! The user's settings, from `initializationOptions` and `workspace/didChangeConfiguration`.
//!
//! Both carry either `{"borrowlens": {...}}` (how editors send a section) or the object itself.
//! Each message gives the whole configuration: a key it leaves out takes its default, and a key
//! with a value of the wrong type is reported and takes its default too.

use borrowlens_analysis::InlayConfig;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InlayHintsMode {
    /// Only the borrows involved in an error.
    Conflicting,
    #[default]
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub diagnostics: bool,
    pub inlay_hints: bool,
    pub hover: bool,
    pub inlay_hints_mode: InlayHintsMode,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            diagnostics: true,
            inlay_hints: true,
            hover: true,
            inlay_hints_mode: InlayHintsMode::All,
        }
    }
}

impl Settings {
    /// What the analysis is asked for inlay hints, or `None` when they are off.
    pub fn inlay_config(&self) -> Option<InlayConfig> {
        let only_conflicting = self.inlay_hints_mode == InlayHintsMode::Conflicting;
        self.inlay_hints.then_some(InlayConfig { only_conflicting })
    }

    /// The settings a message gives, or `None` when it holds no object to read them from (a
    /// client that sends `null` and expects to be asked with `workspace/configuration`).
    pub fn from_json(value: &Value) -> Option<Settings> {
        let object = match value.get("borrowlens") {
            Some(inner @ Value::Object(_)) => inner,
            _ if value.is_object() => value,
            _ => return None,
        };
        let mut it = Settings::default();
        let flag = |key: &str, default: bool| match object.get(key) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                tracing::warn!("setting `{key}` should be true or false, not {other}");
                default
            }
        };
        it.diagnostics = flag("diagnostics", it.diagnostics);
        it.inlay_hints = flag("inlayHints", it.inlay_hints);
        it.hover = flag("hover", it.hover);
        it.inlay_hints_mode = match object.get("inlayHintsMode") {
            None | Some(Value::Null) => InlayHintsMode::default(),
            Some(Value::String(s)) if s == "conflicting" => InlayHintsMode::Conflicting,
            Some(Value::String(s)) if s == "all" => InlayHintsMode::All,
            Some(other) => {
                tracing::warn!(
                    "setting `inlayHintsMode` should be \"conflicting\" or \"all\", not {other}"
                );
                InlayHintsMode::default()
            }
        };
        Some(it)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sections_and_defaults() {
        let off = Settings {
            diagnostics: false,
            ..Settings::default()
        };
        assert_eq!(
            Settings::from_json(&json!({"borrowlens": {"diagnostics": false}})),
            Some(off)
        );
        assert_eq!(
            Settings::from_json(&json!({"diagnostics": false})),
            Some(off)
        );
        assert_eq!(Settings::from_json(&json!({})), Some(Settings::default()));
        assert_eq!(Settings::from_json(&Value::Null), None);
        let it =
            Settings::from_json(&json!({"inlayHintsMode": "conflicting", "hover": 3})).unwrap();
        assert_eq!(it.inlay_hints_mode, InlayHintsMode::Conflicting);
        assert!(it.hover, "a wrong type takes the default");
    }
}
