//! The bulletin text: parse (zh) and render.
