//! What the two directions share, parse and render alike: the conventions of each period
//! ([`periods`]), region names and their order ([`regions`]), romanized names ([`romanize`]),
//! and the English words and places ([`en`]). Nothing here depends on `parse` or `render`, so
//! that each of them may use it.

pub mod en;
pub mod periods;
pub mod regions;
pub mod romanize;
