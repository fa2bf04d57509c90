//! The languages the app speaks, and the user's choice among them.

use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

/// A language the app is translated into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// The language every message is written in first, and the fallback.
    #[default]
    English,
    /// 简体中文.
    ChineseSimplified,
}

impl Language {
    /// Every language, in the order the menu lists them.
    pub const ALL: [Language; 2] = [Language::English, Language::ChineseSimplified];

    /// The BCP 47 tag, also the folder under `i18n/`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::ChineseSimplified => "zh-CN",
        }
    }

    pub(super) fn langid(self) -> LanguageIdentifier {
        match self {
            Language::English => unic_langid::langid!("en"),
            Language::ChineseSimplified => unic_langid::langid!("zh-CN"),
        }
    }

    /// The language's name in itself, as a language menu shows it (so a reader finds their
    /// own whatever the app speaks now).
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::ChineseSimplified => "简体中文",
        }
    }

    /// Whether drawing this language needs a CJK font from the system.
    pub fn needs_cjk_font(self) -> bool {
        matches!(self, Language::ChineseSimplified)
    }

    /// The language for a locale such as `zh-CN`, `zh_CN.UTF-8`, `zh-Hans-CN` or `en-US`:
    /// Chinese for any Chinese locale (Simplified is the one translation), else English.
    pub fn from_locale(locale: &str) -> Language {
        let primary = locale
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Language::ChineseSimplified,
            _ => Language::English,
        }
    }

    /// The system's language, from its locale (`LANG`/`LC_*` on Linux, the user's preferred
    /// languages on macOS and Windows).
    pub fn from_system() -> Language {
        sys_locale::get_locale()
            .map(|l| Language::from_locale(&l))
            .unwrap_or_default()
    }
}

/// What the user picked in the language menu: follow the system, or one language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LanguageChoice {
    /// The system's language when the app has it, else English.
    #[default]
    System,
    /// This language, whatever the system's.
    Fixed(Language),
}

impl LanguageChoice {
    /// The language to show, given the system's.
    pub fn resolve(self, system: Language) -> Language {
        match self {
            LanguageChoice::System => system,
            LanguageChoice::Fixed(language) => language,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_languages() {
        for (locale, language) in [
            ("zh-CN", Language::ChineseSimplified),
            ("zh_CN.UTF-8", Language::ChineseSimplified),
            ("zh-Hans-CN", Language::ChineseSimplified),
            ("zh-TW", Language::ChineseSimplified),
            ("en-US", Language::English),
            ("C", Language::English),
            ("", Language::English),
            ("fr_FR.UTF-8", Language::English),
        ] {
            assert_eq!(Language::from_locale(locale), language, "{locale}");
        }
    }
}
