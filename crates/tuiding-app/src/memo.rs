//! Reads kept while nothing they were computed from changed. A server answers the same
//! overview, memberships list and calendar feed many times between two changes; each is
//! computed once per [`Stamp`] (the ledger's data version, the user's data files, today
//! and the language) and handed out again until the stamp moves. A change made by another
//! process (the CLI beside a running server) moves the data version too, so nothing stale
//! is ever shown.

use std::any::Any;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use jiff::civil::Date;
use tuiding_core::Lang;
use tuiding_store::prelude::*;

use crate::context::{BANKS_DIR, Backend, Ctx, HOLIDAYS_FILE, PLATFORMS_DIR};
use crate::error::Localize;

/// Everything a read of the whole ledger depends on besides its own arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stamp {
    data_dir: Option<std::path::PathBuf>,
    version: u64,
    files: u64,
    today: Date,
    lang: Lang,
    /// What else the read depends on ([`Ctx::remembered_given`]).
    also: u64,
}

impl Stamp {
    /// A short tag that changes whenever the stamp does: an HTTP `ETag`.
    pub fn tag(&self, what: &str) -> String {
        let mut h = DefaultHasher::new();
        (what, self).hash(&mut h);
        format!("{:016x}", h.finish())
    }
}

/// A read kept: the stamp it was computed under, and the answer.
type Kept = (Stamp, Arc<dyn Any + Send + Sync>);

/// One read's place, locked while it is computed.
type Slot = Arc<Mutex<Option<Kept>>>;

/// The reads kept, by name and key. Each has its own lock, held while it is computed:
/// requests that miss at once wait for one computation instead of each doing it.
#[derive(Default)]
pub struct Memo {
    slots: Mutex<HashMap<(&'static str, String), Slot>>,
}

impl<B: Backend> Ctx<B> {
    /// What a read of the whole ledger would depend on now.
    pub fn stamp(&self) -> anyhow::Result<Stamp> {
        let version = self.open_store()?.data_version().localize(self.lang)?;
        let data_dir = self.explicit_data_dir().map(Path::to_path_buf);
        let files = match &data_dir {
            Some(dir) => data_files_fingerprint(dir),
            None => 0,
        };
        Ok(Stamp {
            data_dir,
            version,
            files,
            today: self.today,
            lang: self.lang,
            also: 0,
        })
    }

    /// `compute`'s answer, computed again only when the [`Stamp`] moved since it was
    /// last kept under `name` and `key`.
    pub fn remembered<T: Send + Sync + 'static>(
        &self,
        name: &'static str,
        key: &str,
        compute: impl FnOnce(&Self) -> anyhow::Result<T>,
    ) -> anyhow::Result<Arc<T>> {
        self.remembered_given(name, key, 0, compute)
    }

    /// [`Ctx::remembered`] for a read that also depends on something outside the store
    /// (the evidence journal): `also` is a fingerprint of it, kept with the answer (not in
    /// the key: one slot per `name` and `key`, whatever `also` was).
    pub fn remembered_given<T: Send + Sync + 'static>(
        &self,
        name: &'static str,
        key: &str,
        also: u64,
        compute: impl FnOnce(&Self) -> anyhow::Result<T>,
    ) -> anyhow::Result<Arc<T>> {
        let mut stamp = self.stamp()?;
        stamp.also = also;
        let slot = {
            let mut slots = self
                .caches()
                .memo
                .slots
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // One slot per language: readers of both languages do not evict each other.
            slots
                .entry((name, format!("{key}|{:?}", self.lang)))
                .or_default()
                .clone()
        };
        let mut kept = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((at, value)) = kept.as_ref()
            && *at == stamp
            && let Ok(value) = value.clone().downcast::<T>()
        {
            return Ok(value);
        }
        let value = Arc::new(compute(self)?);
        // A change made while computing leaves the answer under the stamp read before it:
        // the next read sees the new version and computes again.
        *kept = Some((stamp, value.clone()));
        Ok(value)
    }
}

/// The names, sizes and modification times of the user's data files that reads depend
/// on: `config.toml`, the holidays, and the banks, platforms and playbooks directories;
/// and which database file the ledger is (a restore puts another file in its place, whose
/// data version may be the same number).
fn data_files_fingerprint(dir: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    if let Ok(meta) = std::fs::metadata(dir.join(crate::context::DB_FILE)) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino()).hash(&mut h);
        }
        meta.created().ok().hash(&mut h);
    }
    let mut stat = |path: &Path| {
        path.hash(&mut h);
        if let Ok(meta) = std::fs::metadata(path) {
            meta.len().hash(&mut h);
            meta.modified().ok().hash(&mut h);
        }
    };
    for file in ["config.toml", HOLIDAYS_FILE] {
        stat(&dir.join(file));
    }
    for sub in [BANKS_DIR, PLATFORMS_DIR, "playbooks"] {
        let sub = dir.join(sub);
        stat(&sub);
        let mut names: Vec<_> = std::fs::read_dir(&sub)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        names.sort();
        for path in names {
            stat(&path);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tuiding_store::MemoryStore;

    fn ctx(store: &MemoryStore) -> Ctx<MemoryStore> {
        Ctx::with_backend(
            store.clone(),
            Lang::Zh,
            jiff::civil::date(2026, 11, 30),
            None,
        )
    }

    fn count(ctx: &Ctx<MemoryStore>, runs: &AtomicUsize) -> usize {
        *ctx.remembered("count", "", |c| {
            runs.fetch_add(1, Ordering::SeqCst);
            Ok(c.open_store()?.memberships().localize(c.lang)?.len())
        })
        .unwrap()
    }

    #[test]
    fn a_read_is_computed_again_only_after_a_change() {
        let store = MemoryStore::new();
        let ctx = ctx(&store);
        let runs = AtomicUsize::new(0);
        assert_eq!(count(&ctx, &runs), 0);
        assert_eq!(count(&ctx, &runs), 0);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        let m = tuiding_core::Membership {
            platform: "QQ音乐".into(),
            plan: "豪华绿钻".into(),
            billing: tuiding_core::Billing::Periodic(tuiding_core::Period::month()),
            price: tuiding_core::Money::from_minor(1800, tuiding_core::Currency::CNY),
            start: jiff::civil::date(2026, 3, 5),
            paid_through: None,
            trial_until: None,
            auto_renew: vec![],
            benefits: vec![],
            category: None,
            notes: None,
        };
        store.clone().add_membership(&m).unwrap();
        assert_eq!(count(&ctx, &runs), 1);
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        // Another day or language is another stamp.
        let mut tomorrow = ctx.clone();
        tomorrow.today = jiff::civil::date(2026, 12, 1);
        assert_eq!(count(&tomorrow, &runs), 1);
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        assert_ne!(
            ctx.stamp().unwrap().tag("x"),
            tomorrow.stamp().unwrap().tag("x")
        );
    }

    #[test]
    fn a_restored_database_moves_the_stamp_though_its_version_is_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Ctx::new(
            Lang::Zh,
            jiff::civil::date(2026, 11, 30),
            Some(dir.path().into()),
        );
        let before = ctx.stamp().unwrap();
        // Another database with the same data version takes its place, as a restore does.
        let db = dir.path().join(crate::context::DB_FILE);
        let copy = dir.path().join("restored.db");
        std::fs::copy(&db, &copy).unwrap();
        std::fs::rename(&copy, &db).unwrap();
        let after = ctx.stamp().unwrap();
        assert_eq!(before.version, after.version);
        assert_ne!(before, after);
    }

    #[test]
    fn a_read_that_depends_on_more_keeps_one_slot() {
        let store = MemoryStore::new();
        let ctx = ctx(&store);
        let runs = AtomicUsize::new(0);
        for also in [1, 1, 2, 2, 3] {
            ctx.remembered_given("case", "1", also, |_| {
                runs.fetch_add(1, Ordering::SeqCst);
                Ok(())
            })
            .unwrap();
        }
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        assert_eq!(ctx.caches().memo.slots.lock().unwrap().len(), 1);
    }

    #[test]
    fn a_changed_data_file_moves_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let before = data_files_fingerprint(dir.path());
        std::fs::create_dir(dir.path().join(PLATFORMS_DIR)).unwrap();
        std::fs::write(dir.path().join(PLATFORMS_DIR).join("a.toml"), "x").unwrap();
        let after = data_files_fingerprint(dir.path());
        assert_ne!(before, after);
        assert_eq!(after, data_files_fingerprint(dir.path()));
    }
}
