//! # tuiding-app
//!
//! The application service behind every front end of tuiding (退订): one operation per
//! thing a person does, taking typed input, returning a complete view and a typed error
//! ([`error::UserError`]). The CLI (`crates/tuiding/src/cli/`) and the web app
//! (`tuiding-web`) put those views into words; neither holds logic the other lacks.
//!
//! Nothing here parses flags, prints or draws: warnings and progress go to the
//! [`context::Reporter`] the front end gives. The clock is read in one place ([`clock`]).

#![allow(missing_docs)] // internal to the workspace; modules and non-obvious items carry docs

pub mod clock;
pub mod cmd;
pub mod context;
pub mod error;
pub mod input;
pub mod text;
pub mod view;
