//! # tuiding-app
//!
//! The application service behind every front end of tuiding (退订): one module per area
//! of the product, each operation taking typed input and returning a complete view or a
//! typed error ([`error::UserError`]). The CLI (`crates/tuiding/src/cli/`) and the web app
//! (`tuiding-web`) put those views into words; neither holds logic the other lacks.
//!
//! Nothing here parses flags, prints or draws: warnings and progress go to the
//! [`context::Reporter`] the front end gives. The clock is read in one place ([`clock`]).
//! Reads never write: state that follows from time (a refund becoming overdue) is
//! computed when read and recorded only by [`due::tick`].

#![allow(missing_docs)] // internal to the workspace; modules and non-obvious items carry docs

pub mod accounts;
pub mod backup;
pub mod bills;
pub mod case;
pub mod check;
pub mod clock;
pub mod config;
pub mod context;
pub mod demo;
pub mod dossier;
pub mod due;
pub mod error;
pub mod evidence;
pub mod export;
pub mod household;
pub mod input;
pub mod memberships;
pub mod memo;
pub mod overview;
pub mod policy;
pub mod policy_form;
pub mod remind;
pub mod reminders;
pub mod renewals;
pub mod summary;
pub mod terms;
pub mod text;
pub mod wallos;
