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
    /// The UI thread's own CPU time per frame, from one frame's start to the next: its work
    /// (update, tessellation, paint calls) whatever else runs on the machine, where
    /// `cpu_ms` (eframe's wall time of the frame) also counts waiting for a core.
    thread_ms: Vec<f32>,
    thread_at: Option<std::time::Duration>,
    /// The first frame has been reported.
    first_done: bool,
}

impl FrameStats {
    /// Collecting when `PUSHLAB_FRAME_STATS` is set.
    pub(super) fn from_env() -> Option<Self> {
        std::env::var_os("PUSHLAB_FRAME_STATS").map(|_| FrameStats {
            since: std::time::Instant::now(),
            cpu_ms: Vec::new(),
            thread_ms: Vec::new(),
            thread_at: None,
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

    /// At the start of each frame: the UI thread's CPU time since the last one.
    pub(super) fn frame_started(&mut self) {
        let Some(now) = thread_cpu_time() else {
            return;
        };
        if let Some(before) = self.thread_at.replace(now) {
            self.thread_ms
                .push(now.saturating_sub(before).as_secs_f32() * 1000.0);
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
        let thread = percentiles(&mut self.thread_ms)
            .map(|(m, p95, p99, max)| {
                format!("; UI thread CPU median {m:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms, max {max:.1} ms")
            })
            .unwrap_or_default();
        eprintln!(
            "pushlab frames: {n} in {:.1} s, cpu median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms{thread}",
            self.since.elapsed().as_secs_f32(),
            at(0.5),
            at(0.95),
            at(0.99),
            self.cpu_ms[n - 1]
        );
        self.cpu_ms.clear();
        self.thread_ms.clear();
        self.since = std::time::Instant::now();
    }
}

/// Median, p95, p99 and max of `ms`, sorting it.
fn percentiles(ms: &mut [f32]) -> Option<(f32, f32, f32, f32)> {
    ms.sort_by(f32::total_cmp);
    let n = ms.len();
    let at = |p: f32| ms[((n - 1) as f32 * p) as usize];
    (n > 0).then(|| (at(0.5), at(0.95), at(0.99), ms[n - 1]))
}

/// The calling thread's CPU time, where the system can say.
fn thread_cpu_time() -> Option<std::time::Duration> {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        Some(std::time::Duration::new(
            u64::try_from(t.tv_sec).ok()?,
            u32::try_from(t.tv_nsec).ok()?,
        ))
    }
    #[cfg(not(unix))]
    None
}
