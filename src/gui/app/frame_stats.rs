//! `PUSHLAB_FRAME_STATS=1`: frame times on standard error every two seconds.

/// When `gui::run` began, so the first frame's delay counts the window's creation too.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Marks the start of the app; called first thing in `gui::run`.
pub(crate) fn mark_start() {
    let _ = STARTED.set(std::time::Instant::now());
}

/// Frame times collected for `PUSHLAB_FRAME_STATS`.
pub(super) struct FrameStats {
    since: std::time::Instant,
    cpu_ms: Vec<f32>,
    /// The first frame has been reported.
    first_done: bool,
}

impl FrameStats {
    /// Collecting when `PUSHLAB_FRAME_STATS` is set.
    pub(super) fn from_env() -> Option<Self> {
        std::env::var_os("PUSHLAB_FRAME_STATS").map(|_| FrameStats {
            since: std::time::Instant::now(),
            cpu_ms: Vec::new(),
            first_done: false,
        })
    }

    /// The system's fonts arrived from their thread and were installed.
    pub(super) fn fonts_installed(&self, bytes: usize) {
        if let Some(started) = STARTED.get() {
            eprintln!(
                "pushlab frames: system fonts installed {:.0} ms after start ({:.1} MB of font files)",
                started.elapsed().as_secs_f64() * 1000.0,
                bytes as f64 / 1_000_000.0
            );
        }
    }

    pub(super) fn record(&mut self, frame: &eframe::Frame) {
        if !self.first_done {
            self.first_done = true;
            if let Some(started) = STARTED.get() {
                eprintln!(
                    "pushlab frames: first frame {:.0} ms after start",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
        }
        if let Some(cpu) = frame.info().cpu_usage {
            self.cpu_ms.push(cpu * 1000.0);
        }
        if self.since.elapsed() < std::time::Duration::from_secs(2) || self.cpu_ms.is_empty() {
            return;
        }
        self.cpu_ms.sort_by(f32::total_cmp);
        let n = self.cpu_ms.len();
        let at = |p: f32| self.cpu_ms[((n - 1) as f32 * p) as usize];
        eprintln!(
            "pushlab frames: {n} in {:.1} s, cpu median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            self.since.elapsed().as_secs_f32(),
            at(0.5),
            at(0.95),
            at(0.99),
            self.cpu_ms[n - 1]
        );
        self.cpu_ms.clear();
        self.since = std::time::Instant::now();
    }
}
