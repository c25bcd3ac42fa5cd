//! saq-render: dialogue packs (placeholder until packs exist).

/// The JSON Schema of the pack model.
pub fn pack_schema() -> serde_json::Value {
    serde_json::json!({})
}
