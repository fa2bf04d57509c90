//! The faults a running simulator applies, changeable while it runs (the control API's
//! `PUT /api/v1/faults`). Each request reads the current set once, so a change never applies
//! half to a request.

use std::sync::{Arc, RwLock};

use super::Faults;

/// The faults in force, shared by every connection of one simulator.
#[derive(Debug, Default)]
pub struct LiveFaults {
    current: RwLock<Arc<Faults>>,
}

impl LiveFaults {
    /// Starts with these faults in force.
    pub fn new(faults: Faults) -> Self {
        LiveFaults {
            current: RwLock::new(Arc::new(faults)),
        }
    }

    /// The faults in force now; cheap (a reference count), so it is read per request.
    pub fn current(&self) -> Arc<Faults> {
        match self.current.read() {
            Ok(f) => f.clone(),
            // A writer panicked mid-swap: the value is still a whole `Arc`, so use it.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the faults; requests that have already read them finish with the old set.
    pub fn set(&self, faults: Faults) {
        let mut slot = match self.current.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(faults);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_change_is_seen_by_the_next_reader_only() {
        let live = LiveFaults::new(Faults::default());
        let before = live.current();
        live.set(Faults {
            latency: Duration::from_millis(5),
            ..Faults::default()
        });
        assert!(before.latency.is_zero());
        assert_eq!(live.current().latency, Duration::from_millis(5));
    }
}
