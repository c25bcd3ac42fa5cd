//! Translations of the pack's labels (see `i18n`).

pub const FR: &[(&str, &str)] = &[];
pub const ES: &[(&str, &str)] = &[];
pub const AR: &[(&str, &str)] = &[];
pub const ZH: &[(&str, &str)] = &[];
pub const RU: &[(&str, &str)] = &[];
