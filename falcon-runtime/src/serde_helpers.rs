//! Serde helpers used by generated models.

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default: the service sends `"resources": null` where the spec
/// promises a list.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
