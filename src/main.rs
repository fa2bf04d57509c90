//! `pushlab`: with no arguments the desktop app, with a command the CLI.

// A function of the command line fits on a screen or two (clippy.toml: 100 lines): a longer
// one is several named steps. CI's `-D warnings` makes this a gate for `cli/` only, for now.
#[warn(clippy::too_many_lines)]
mod cli;

use std::process::ExitCode;

use clap::Parser as _;

/// mimalloc instead of the system allocator: a batch allocates and frees a few small objects
/// per push (the request, its header map, the result), and glibc's malloc took a sixth of
/// `pushlab batch`'s CPU time in profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// For the desktop app, mimalloc commits memory on demand rather than its whole first arena up
/// front (what it does where the OS overcommits, Linux): the idle window held 10–15 MB more
/// with the arena committed (`scripts/idle-cost.sh`: 146–148 MB against 131 MB). The CLI keeps
/// the default: a 200,000-token batch took about 10 % more CPU with commit on demand.
///
/// The option must be set before the first allocation, which happens before `main`, so it is
/// set from a constructor that runs ahead of mimalloc's own (priority 100; mimalloc's has the
/// default, which runs after every prioritised one), and the app is told from the CLI by its
/// arguments alone (nothing may allocate yet): none, or a file to open (a name with a dot or a
/// slash, which no command has). The environment variable `MIMALLOC_ARENA_EAGER_COMMIT` still
/// wins when set.
///
/// The app also keeps the C allocator's freed memory instead of giving it back at once (see
/// `GL_BUFFERS_KEPT` below).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod app_allocator_options {
    use std::ffi::{CStr, c_char, c_int, c_long};

    // The option's index in mimalloc 2's `mi_option_t` (libmimalloc-sys 0.1.49).
    const MI_OPTION_ARENA_EAGER_COMMIT: c_int = 4;

    // glibc's `mallopt` parameters (`malloc.h`).
    const M_TRIM_THRESHOLD: c_int = -1;
    const M_MMAP_THRESHOLD: c_int = -3;

    /// The window's OpenGL driver allocates and frees megabytes of vertex and binning buffers
    /// every frame through glibc's malloc (Rust's allocations go to mimalloc; C libraries'
    /// do not). glibc handed them back to the system each time (large blocks unmapped, the
    /// heap's top trimmed) and the next frame faulted fresh zeroed pages in: with Mesa's
    /// software renderer during a 100,000-push batch, a quarter of the UI thread's CPU time
    /// went to page faults, `brk` and `munmap` (perf, issue 29). Blocks up to 32 MiB (glibc's
    /// largest mapping threshold) now come from the heap, and up to 128 MiB free at its top
    /// stays. With and without, alternating on a busy machine: the UI thread's CPU per frame
    /// p99 3.5–5.6 ms against 7.3–8.6 ms; idle memory unchanged (`scripts/idle-cost.sh`,
    /// 129–133 MB), after a batch within 5 MB.
    const GL_BUFFERS_KEPT: (c_int, c_int) = (32 << 20, 128 << 20);

    #[allow(unsafe_code)]
    unsafe extern "C" {
        fn mi_option_set_default(option: c_int, value: c_long);
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }

    /// glibc calls `.init_array` functions with the program's arguments.
    extern "C" fn set(argc: c_int, argv: *const *const c_char, _envp: *const *const c_char) {
        let app = if argc <= 1 || argv.is_null() {
            true
        } else {
            // SAFETY: glibc passes `argc` valid, NUL-terminated strings in `argv`.
            #[allow(unsafe_code)]
            let first = unsafe { *argv.add(1) };
            !first.is_null() && {
                // SAFETY: as above.
                #[allow(unsafe_code)]
                let first = unsafe { CStr::from_ptr(first) };
                first.to_bytes().iter().any(|b| matches!(b, b'.' | b'/'))
            }
        };
        if app {
            // SAFETY: sets one entry of mimalloc's static option table; it takes no lock and
            // allocates nothing, so it is sound before mimalloc has initialised.
            #[allow(unsafe_code)]
            unsafe {
                mi_option_set_default(MI_OPTION_ARENA_EAGER_COMMIT, 0)
            }
            let (mapped_from, trimmed_from) = GL_BUFFERS_KEPT;
            // SAFETY: `mallopt` may be called at any time, before the first `malloc` too (it
            // initialises the allocator itself); a value it refuses leaves the default.
            #[allow(unsafe_code)]
            unsafe {
                mallopt(M_MMAP_THRESHOLD, mapped_from);
                mallopt(M_TRIM_THRESHOLD, trimmed_from);
            }
        }
    }

    #[used]
    #[allow(unsafe_code)]
    #[unsafe(link_section = ".init_array.00100")]
    static SET: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = set;
}

fn main() -> ExitCode {
    // Before anything holds a secret. A refusal is said once and is not fatal: the work can
    // still be done, only less safely.
    if let Err(e) = pushlab::hardening::keep_secrets_out_of_core_dumps() {
        eprintln!(
            "warning: could not turn core dumps off ({e}): a crash could write secrets to disk"
        );
    }
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        #[cfg(feature = "gui")]
        None => pushlab::gui::run(args.files),
        #[cfg(not(feature = "gui"))]
        None if !args.files.is_empty() => {
            eprintln!(
                "this pushlab was built without the desktop app (feature `gui`): open files with `pushlab cert inspect FILE`"
            );
            ExitCode::from(2)
        }
        #[cfg(not(feature = "gui"))]
        None => {
            eprintln!(
                "this pushlab was built without the desktop app (feature `gui`): run `pushlab --help` for the commands"
            );
            ExitCode::from(2)
        }
    }
}
