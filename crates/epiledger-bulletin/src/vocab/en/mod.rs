//! The English words of the bulletin, shared by the English parser and the English renderer: the
//! tokenizer, the phrases and their cues, the tables of reasons and countries, and the place
//! names.

pub mod lexicon;
pub mod places;
pub mod token;
