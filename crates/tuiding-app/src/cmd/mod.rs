//! The operations, one module per area of the product. Each takes the context and typed
//! input and returns a view; the front ends word the views.

pub mod add;
pub mod backup;
pub mod case;
pub mod check;
pub mod demo;
pub mod dossier;
pub mod due;
pub mod edit;
pub mod evidence;
pub mod export;
pub mod fields;
pub mod household;
pub mod import;
pub mod import_from;
pub mod list;
pub mod overview;
pub mod policy;
pub mod policy_form;
pub mod remind;
pub mod reminders;
pub mod renewals;
pub mod scan;
pub mod streams;
pub mod summary;
pub mod terms;
