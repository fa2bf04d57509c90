//! The one place where the app waits: a named thread owning a tokio runtime. The UI thread
//! hands it jobs over a bounded channel and gets a [`Task`] back, which it polls every frame.
//!
//! ```ignore
//! // In a panel's command handler (never inside `ui()` drawing code):
//! self.loading = worker.run_blocking(move |job| load_file(&path, None));
//! // Every frame:
//! if self.loading.poll() {
//!     let finished = self.loading.take_finished(); // show it
//! }
//! ```

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError, TrySendError};

use super::i18n::msg;

/// How many jobs may wait for the worker before new ones are refused.
const QUEUE: usize = 64;

type Job = Box<dyn FnOnce(&tokio::runtime::Handle) + Send>;

/// The worker thread's handle. Dropping it lets the thread finish; running jobs are abandoned
/// (their results have nowhere to go).
pub struct Worker {
    jobs: Option<SyncSender<Job>>,
    ctx: egui::Context,
    /// Whether the threads it starts stand back when the UI thread wants a core.
    give_way: bool,
}

/// Why a job could not be handed to the worker.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum WorkerError {
    /// The queue is full: the job was refused.
    #[error("too many operations are waiting — wait for some to finish and try again")]
    Busy,
    /// The worker thread has ended: nothing more can run until the app restarts.
    #[error("the background worker has stopped — restart pushlab")]
    Stopped,
    /// The job ended without a result (it panicked, or its runtime went away).
    #[error("the operation stopped unexpectedly")]
    Lost,
    /// The user cancelled the job.
    #[error("cancelled")]
    Cancelled,
}

/// How far the worker's threads stand back (a nice value: 0 is the default, 19 the least).
/// At 10 a thread weighs about a tenth of the UI thread when both want a core.
pub const WORKER_NICE: i32 = 10;

/// Lowers the calling thread's priority so the UI thread gets a core when it wakes. During a
/// batch against the embedded simulator the worker keeps every core of a 2-core machine busy,
/// and frames waited for a core: the UI thread's own work was under 9 ms at the 99th
/// percentile, the frame's wall time 13 to 18 ms (issue 29). Linux gives each thread its own
/// nice value; elsewhere this does nothing. A failure is ignored: the worker is then as before.
fn give_way_to_the_ui() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), WORKER_NICE);
    }
}

impl Worker {
    /// Starts the worker thread and its runtime. `ctx` is asked to repaint after each result.
    /// With `give_way`, its threads stand back when the UI thread wants a core.
    pub fn start(ctx: egui::Context, give_way: bool) -> std::io::Result<Self> {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2).thread_name("pushlab-tokio");
        if give_way {
            builder.on_thread_start(give_way_to_the_ui);
        }
        let runtime = builder.enable_all().build()?;
        let (jobs, inbox) = mpsc::sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("pushlab-worker".to_owned())
            .spawn(move || {
                let handle = runtime.handle().clone();
                while let Ok(job) = inbox.recv() {
                    job(&handle);
                }
                // The app is closing: do not wait for jobs still running.
                runtime.shutdown_background();
            })?;
        Ok(Worker {
            jobs: Some(jobs),
            ctx,
            give_way,
        })
    }

    /// Runs blocking work (files, crypto, native dialogs) on the runtime's blocking pool.
    pub fn run_blocking<T, E, F>(&self, work: F) -> Task<T, E>
    where
        T: Send + 'static,
        E: From<WorkerError> + Send + 'static,
        F: FnOnce(&JobHandle) -> Result<T, E> + Send + 'static,
    {
        self.submit(move |rt, handle, deliver| {
            rt.spawn_blocking(move || deliver(work(&handle)));
        })
    }

    /// The window's context, for jobs that wake it.
    pub fn ctx(&self) -> &egui::Context {
        &self.ctx
    }

    /// Runs a future (network, timers) on the runtime.
    pub fn run_async<T, E, F, Fut>(&self, work: F) -> Task<T, E>
    where
        T: Send + 'static,
        E: From<WorkerError> + Send + 'static,
        F: FnOnce(JobHandle) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, E>> + Send + 'static,
    {
        self.submit(move |rt, handle, deliver| {
            rt.spawn(async move { deliver(work(handle).await) });
        })
    }

    /// Runs a future on a thread of its own, on a runtime with that one thread: for a batch,
    /// whose pushes and connections take turns at h2's locks. On the worker's two threads the
    /// batch's task and its connections' tasks woke each other across threads and waited
    /// for each other's locks: `pushlab batch` on such a runtime spent 30–40 % more CPU time
    /// on 100,000 pushes to the simulator (1.3–1.7 s against 1.0–1.3 s), time the UI thread
    /// and the embedded simulator wait for on a 2-core machine.
    pub fn run_async_alone<T, E, F, Fut>(&self, work: F) -> Task<T, E>
    where
        T: Send + 'static,
        E: From<WorkerError> + Send + 'static,
        F: FnOnce(JobHandle) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, E>> + 'static,
    {
        let give_way = self.give_way;
        self.submit(move |_, handle, deliver| {
            // A thread that cannot start drops `deliver`: the task then ends as `Lost`.
            let _ = std::thread::Builder::new()
                .name("pushlab-batch".to_owned())
                .spawn(move || {
                    if give_way {
                        give_way_to_the_ui();
                    }
                    match tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        Ok(runtime) => deliver(runtime.block_on(work(handle))),
                        Err(_) => deliver(Err(WorkerError::Lost.into())),
                    }
                });
        })
    }

    fn submit<T, E>(
        &self,
        start: impl FnOnce(&tokio::runtime::Handle, JobHandle, Deliver<T, E>) + Send + 'static,
    ) -> Task<T, E>
    where
        T: Send + 'static,
        E: From<WorkerError> + Send + 'static,
    {
        let Some(jobs) = &self.jobs else {
            return Task::Failed(WorkerError::Stopped.into());
        };
        let handle = JobHandle::default();
        let (tx, rx) = mpsc::sync_channel(1);
        let ctx = self.ctx.clone();
        let cancel = handle.clone();
        let deliver: Deliver<T, E> = Box::new(move |result| {
            // The receiver is gone when the task was dropped or replaced: nothing to do.
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        let job_handle = handle.clone();
        let job: Job = Box::new(move |rt| start(rt, job_handle, deliver));
        match jobs.try_send(job) {
            Ok(()) => Task::Running {
                handle: cancel,
                result: rx,
            },
            Err(TrySendError::Full(_)) => Task::Failed(WorkerError::Busy.into()),
            Err(TrySendError::Disconnected(_)) => Task::Failed(WorkerError::Stopped.into()),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.jobs.take();
    }
}

type Deliver<T, E> = Box<dyn FnOnce(Result<T, E>) + Send>;

/// What a running job shares with the UI: a cancel flag and a progress counter.
#[derive(Debug, Clone, Default)]
pub struct JobHandle(Arc<JobShared>);

#[derive(Debug, Default)]
struct JobShared {
    cancelled: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
}

impl JobHandle {
    /// Asks the job to stop; long jobs check [`JobHandle::is_cancelled`] between steps.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether the user asked the job to stop.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::Relaxed)
    }

    /// Reports progress as `done` of `total` steps.
    pub fn set_progress(&self, done: u64, total: u64) {
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(done, Ordering::Relaxed);
    }

    /// `(done, total)`; total 0 means unknown.
    pub fn progress(&self) -> (u64, u64) {
        (
            self.0.done.load(Ordering::Relaxed),
            self.0.total.load(Ordering::Relaxed),
        )
    }
}

/// One operation the UI started, polled every frame.
#[derive(Debug, Default)]
pub enum Task<T, E> {
    /// Nothing started yet.
    #[default]
    Idle,
    /// Handed to the worker; the result comes through the channel.
    Running {
        /// Cancels the job, and reports its progress.
        handle: JobHandle,
        /// Where the worker sends the one result.
        result: Receiver<Result<T, E>>,
    },
    /// Finished with a value, not taken yet.
    Done(T),
    /// Failed, could not start, or was cancelled.
    Failed(E),
}

impl<T, E: From<WorkerError>> Task<T, E> {
    /// Picks up the result if it has arrived. Returns true on the frame the task finished.
    pub fn poll(&mut self) -> bool {
        let Task::Running { result, .. } = self else {
            return false;
        };
        match result.try_recv() {
            Ok(Ok(value)) => *self = Task::Done(value),
            Ok(Err(error)) => *self = Task::Failed(error),
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => *self = Task::Failed(WorkerError::Lost.into()),
        }
        true
    }

    /// Whether the job has not finished yet.
    pub fn is_running(&self) -> bool {
        matches!(self, Task::Running { .. })
    }

    /// Asks a running job to stop and forgets it; the task becomes `Failed(Cancelled)`.
    pub fn cancel(&mut self) {
        if let Task::Running { handle, .. } = self {
            handle.cancel();
            *self = Task::Failed(WorkerError::Cancelled.into());
        }
    }

    /// The finished value, leaving `Idle` behind; `None` (and the task unchanged) otherwise.
    pub fn take_done(&mut self) -> Option<T> {
        match std::mem::take(self) {
            Task::Done(value) => Some(value),
            other => {
                *self = other;
                None
            }
        }
    }

    /// The finished result, leaving `Idle` behind, when the task has finished either way.
    pub fn take_finished(&mut self) -> Option<Result<T, E>> {
        match std::mem::take(self) {
            Task::Done(value) => Some(Ok(value)),
            Task::Failed(error) => Some(Err(error)),
            other => {
                *self = other;
                None
            }
        }
    }
}

impl WorkerError {
    /// The sentence, in the UI thread's language (a task fails on the UI thread).
    pub fn text(&self) -> String {
        match self {
            WorkerError::Busy => msg::worker_busy(),
            WorkerError::Stopped => msg::worker_stopped(),
            WorkerError::Lost => msg::worker_lost(),
            WorkerError::Cancelled => msg::worker_cancelled(),
        }
    }
}

impl From<WorkerError> for String {
    fn from(e: WorkerError) -> Self {
        e.text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T, E: From<WorkerError>>(task: &mut Task<T, E>) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !task.poll() {
            assert!(
                std::time::Instant::now() < deadline,
                "the job never finished"
            );
            std::thread::yield_now();
        }
    }

    #[test]
    fn blocking_and_async_jobs_deliver_results() {
        let worker = Worker::start(egui::Context::default(), false).unwrap();
        let mut a: Task<u32, String> = worker.run_blocking(|_| Ok(2 + 2));
        let mut b: Task<u32, String> = worker.run_async(|_| async { Err("nope".to_owned()) });
        wait(&mut a);
        wait(&mut b);
        assert_eq!(a.take_done(), Some(4));
        assert!(matches!(b, Task::Failed(ref e) if e == "nope"));
        assert!(matches!(a, Task::Idle));
    }

    #[test]
    fn a_job_alone_runs_on_its_own_thread_and_runtime() {
        let worker = Worker::start(egui::Context::default(), false).unwrap();
        let mut task: Task<(String, bool), String> = worker.run_async_alone(|_| async {
            // Tasks it spawns run on its thread too.
            let spawned = tokio::spawn(async { std::thread::current().name().map(str::to_owned) });
            let flavor = tokio::runtime::Handle::current().runtime_flavor();
            Ok((
                spawned.await.unwrap().unwrap_or_default(),
                flavor == tokio::runtime::RuntimeFlavor::CurrentThread,
            ))
        });
        wait(&mut task);
        assert_eq!(task.take_done(), Some(("pushlab-batch".to_owned(), true)));
        let mut failed: Task<(), String> =
            worker.run_async_alone(|_| async { Err("nope".to_owned()) });
        wait(&mut failed);
        assert!(matches!(failed, Task::Failed(ref e) if e == "nope"));
    }

    #[test]
    fn cancel_reaches_the_job() {
        let worker = Worker::start(egui::Context::default(), false).unwrap();
        let (started_tx, started_rx) = mpsc::channel();
        let mut task: Task<(), String> = worker.run_blocking(move |job| {
            let _ = started_tx.send(job.clone());
            while !job.is_cancelled() {
                std::thread::yield_now();
            }
            Ok(())
        });
        let handle = started_rx.recv().unwrap();
        task.cancel();
        assert!(handle.is_cancelled());
        assert!(matches!(task, Task::Failed(ref e) if e == "cancelled"));
    }
}
