//! Keeping secrets out of core dumps. pushlab holds passphrases, private keys and provider
//! tokens in memory; a crash or a Ctrl-\ with core dumps enabled would write them to disk.
//! Called first thing by the binary, for the app and every command alike.

/// Set to `1` to leave core dumps as the system has them (to debug a crash): the only way to
/// get one from pushlab.
pub const ALLOW_CORE_DUMPS: &str = "PUSHLAB_ALLOW_CORE_DUMPS";

/// What [`keep_secrets_out_of_core_dumps`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoreDumps {
    /// The core size limit is 0 and the process is not dumpable.
    Off,
    /// [`ALLOW_CORE_DUMPS`] was set: left as they were.
    AllowedByUser,
    /// Not on this platform, or the system refused (the reason is returned as an error).
    Unchanged,
}

/// Sets `RLIMIT_CORE` to 0 (the soft limit; a child may not raise it past the hard one
/// either way) and marks the process not dumpable (Linux `PR_SET_DUMPABLE` 0, which also
/// keeps other processes of the same user from reading its memory through /proc), unless
/// the user opted in with [`ALLOW_CORE_DUMPS`]`=1`.
pub fn keep_secrets_out_of_core_dumps() -> std::io::Result<CoreDumps> {
    if std::env::var_os(ALLOW_CORE_DUMPS).is_some_and(|v| v == "1") {
        return Ok(CoreDumps::AllowedByUser);
    }
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let hard = getrlimit(Resource::Core).maximum;
        setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: hard,
            },
        )?;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)?;
        Ok(CoreDumps::Off)
    }
    #[cfg(not(unix))]
    Ok(CoreDumps::Unchanged)
}
