use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use pushlab::cert::{
    self, CertError, Credential, ExportFormat, Inspection, LoadedFile, Passphrase, Severity,
};
use pushlab::words::for_terminal;

use super::error::{CliError, Exit, outln, say};
use super::exit;
use super::secrets::{OutPassphraseArgs, PassphraseArgs, prompt};

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Show what certificate, key, .p12 and .p8 files hold and what is wrong with them.
    Inspect(InspectArgs),
    /// Write a combined PEM (ck.pem), a certificate or key PEM, or a new .p12.
    Convert(ConvertArgs),
    /// Make a certificate signing request for Apple's portal (an RSA 2048 key kept in
    /// pushlab's data folder, a .certSigningRequest to upload): no Mac needed.
    Request(RequestArgs),
    /// List the keys of signing requests still waiting for Apple's certificate.
    Waiting(WaitingArgs),
}

#[derive(Debug, Args)]
pub struct RequestArgs {
    /// Your email address (Keychain Access puts it in the request).
    #[arg(long)]
    email: String,
    /// A common name, usually your name.
    #[arg(long)]
    name: String,
    /// Two-letter country code (US, DE, CN).
    #[arg(long)]
    country: Option<String>,
    /// Where to write the request (.certSigningRequest, PEM).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    key_passphrase: OutPassphraseArgs,
    #[command(flatten)]
    data: DataDirArgs,
}

#[derive(Debug, Args)]
pub struct WaitingArgs {
    #[command(flatten)]
    data: DataDirArgs,
}

#[derive(Debug, Clone, Args)]
pub struct DataDirArgs {
    /// pushlab's data folder, where waiting keys are kept (default: the platform's, as the
    /// app uses).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

impl DataDirArgs {
    fn waiting_keys(&self) -> Option<cert::WaitingKeys> {
        self.data_dir
            .clone()
            .or_else(pushlab::files::data_dir)
            .map(|d| cert::WaitingKeys::in_data_dir(&d))
    }
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files to inspect (.cer, .der, .crt, .pem, .key, .p12, .pfx, .p8), detected by content.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// A private key (or .p12) to pair with the certificates.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// One JSON object per file, one per line.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    data: DataDirArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Certificate + private key in one PEM (ck.pem).
    Pem,
    /// The certificate only.
    CertPem,
    /// The private key only.
    KeyPem,
    /// A .p12 with modern encryption (AES-256, SHA-256 MAC).
    P12,
    /// A .p12 with legacy encryption (RC2-40/3DES, SHA-1 MAC) for old Keychains.
    P12Legacy,
}

impl From<Format> for ExportFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Pem => ExportFormat::Pem,
            Format::CertPem => ExportFormat::CertPem,
            Format::KeyPem => ExportFormat::KeyPem,
            Format::P12 => ExportFormat::P12,
            Format::P12Legacy => ExportFormat::P12Legacy,
        }
    }
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The certificate, .p12 or combined PEM to convert.
    file: PathBuf,
    /// The private key, when it is in another file (e.g. the .p12 exported from Keychain).
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// Where to write.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value = "pem")]
    to: Format,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    #[command(flatten)]
    out_passphrase: OutPassphraseArgs,
    /// Replace the output file if it exists (never one of the input files).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    data: DataDirArgs,
}

pub fn run(cmd: CertCommand) -> Exit {
    match cmd {
        CertCommand::Inspect(args) => inspect(args),
        CertCommand::Convert(args) => convert(args),
        CertCommand::Request(args) => request(args),
        CertCommand::Waiting(args) => waiting(args),
    }
}

/// Loads files, asking for the passphrase at the terminal when one is needed and none was
/// given, and once more after a wrong one.
pub(super) struct Loader {
    pub(super) passphrase: Option<Passphrase>,
}

impl Loader {
    pub(super) fn new(args: &PassphraseArgs) -> anyhow::Result<Self> {
        Ok(Loader {
            passphrase: args.resolve()?,
        })
    }

    pub(super) fn load(&mut self, path: &Path) -> Result<LoadedFile, CertError> {
        let mut attempts = 0;
        loop {
            match cert::load_file(path, self.passphrase.as_ref()) {
                Err(
                    e @ (CertError::PassphraseRequired { .. } | CertError::WrongPassphrase { .. }),
                ) if attempts < 3 => {
                    if attempts > 0 || matches!(e, CertError::WrongPassphrase { .. }) {
                        eprintln!("{e}");
                    }
                    attempts += 1;
                    let name = path.display().to_string();
                    match prompt(&name) {
                        Ok(Some(p)) => self.passphrase = Some(p),
                        _ => return Err(e),
                    }
                }
                other => return other,
            }
        }
    }
}

fn inspect(args: InspectArgs) -> Exit {
    let mut loader = Loader::new(&args.passphrase)?;
    let key_file = match args.key.as_deref().map(|p| loader.load(p)).transpose() {
        Ok(k) => k,
        Err(e) => {
            report_error(args.key.as_deref().unwrap_or(Path::new("")), &e, args.json)?;
            return Ok(exit::FAILED);
        }
    };
    let now = time::OffsetDateTime::now_utc();
    let mut code = exit::OK;
    for (i, path) in args.files.iter().enumerate() {
        let result = loader.load(path).and_then(|file| {
            // A lone certificate from Apple: its key may be waiting from `cert request`.
            let waiting = match &key_file {
                Some(_) => None,
                None => waiting_key_for(&file, &args.data)
                    .map(|p| loader.load(&p))
                    .transpose()?,
            };
            cert::inspect(&file, key_file.as_ref().or(waiting.as_ref()), now).map(|r| (file, r))
        });
        match result {
            Ok((_, inspection)) => {
                if inspection.worst() == Some(Severity::Error) {
                    code = code.max(exit::PROBLEM);
                }
                if args.json {
                    outln!("{}", inspection.to_json(&path.display().to_string()))?;
                } else {
                    if i > 0 {
                        outln!()?;
                    }
                    print_inspection(path, &inspection)?;
                }
            }
            Err(e) => {
                report_error(path, &e, args.json)?;
                code = exit::FAILED;
            }
        }
    }
    Ok(code)
}

/// One file that could not be read, among the others: a JSON line, or an error said.
fn report_error(path: &Path, e: &CertError, json: bool) -> Result<(), CliError> {
    if json {
        outln!(
            "{}",
            serde_json::json!({
                "path": path.display().to_string(),
                "error": { "code": e.code(), "message": e.to_string() },
            })
        )
    } else {
        say(&e.to_string());
        Ok(())
    }
}

fn print_inspection(path: &Path, r: &Inspection) -> Result<(), CliError> {
    let kind = match r.kind {
        cert::FileKind::Certificate => "certificate",
        cert::FileKind::Identity => "certificate + private key",
        cert::FileKind::PrivateKey => "private key",
        cert::FileKind::AuthKey => "APNs auth key (token-based connections)",
    };
    outln!("{} — {kind}", for_terminal(&path.display().to_string()))?;
    for (label, value) in inspection_rows(r) {
        // Subject, issuer, UID, OU and the rest come from the file: shown escaped.
        outln!("  {label:<13}{}", for_terminal(&value))?;
    }
    if r.findings.is_empty() {
        outln!("  No problems found.")?;
    }
    for f in &r.findings {
        let mark = match f.severity() {
            Severity::Error => "error  ",
            Severity::Warning => "warning",
            Severity::Info => "note   ",
        };
        outln!("  {mark} {}", for_terminal(&f.to_string()))?;
    }
    Ok(())
}

/// What an inspection found, as (label, value) rows.
fn inspection_rows(r: &Inspection) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let mut row = |label: &'static str, value: &str| rows.push((label, value.to_owned()));
    if let Some(p12) = &r.p12 {
        let family = match p12.encryption {
            cert::P12Encryption::Modern => "modern",
            cert::P12Encryption::Legacy => "legacy",
        };
        row("PKCS#12", &format!("{family} encryption ({})", p12.detail));
    }
    if let Some(c) = &r.certificate {
        row("Subject", &c.subject.text);
        row("Issuer", &c.issuer.text);
        row("Bundle id", c.bundle_id.as_deref().unwrap_or("—"));
        row("Team id", c.team_id.as_deref().unwrap_or("—"));
        row("Environment", c.environment.label());
        if !c.topics.is_empty() {
            row("Topics", &c.topics.join(", "));
        }
        let days = if c.days_left >= 0 {
            format!("{} days left", c.days_left)
        } else {
            format!("expired {} days ago", -c.days_left)
        };
        row(
            "Valid",
            &format!("{} to {} ({days})", c.not_before.date(), c.not_after.date()),
        );
        row("Serial", &c.serial);
        row("SHA-1", &c.sha1);
        row("SHA-256", &c.sha256);
        row("Public key", &c.public_key);
    }
    match (&r.private_key, r.key_matches) {
        (Some(k), Some(true)) => row("Private key", &format!("{k}, matches the certificate")),
        (Some(k), Some(false)) => row(
            "Private key",
            &format!("{k}, does NOT match the certificate"),
        ),
        (Some(k), None) => row("Private key", k),
        (None, _) => row("Private key", "none"),
    }
    if let Some(a) = &r.auth_key {
        row(
            "Key id",
            a.key_id
                .as_deref()
                .unwrap_or("unknown (not in the file name)"),
        );
        let es256 = if a.usable_for_es256 {
            ", usable for ES256 tokens"
        } else {
            ""
        };
        row("Curve", &format!("{}{es256}", a.curve));
    }
    for c in &r.chain {
        row("Chain", &c.subject.text);
    }
    rows
}

fn convert(args: ConvertArgs) -> Exit {
    // Before any passphrase is asked: `--force` never lets the output replace an input.
    // The passphrase files are inputs too: the input's, and the new file's only copy of its
    // own.
    let inputs: Vec<&Path> = std::iter::once(args.file.as_path())
        .chain(args.key.as_deref())
        .chain(args.passphrase.password_file.as_deref())
        .chain(args.out_passphrase.out_password_file.as_deref())
        .collect();
    pushlab::files::refuse_same_file(&args.out, &inputs)
        .and_then(|()| pushlab::files::refuse_owned(&args.out))
        .map_err(|e| CliError::new(super::output_problem(&e)))?;
    let mut loader = Loader::new(&args.passphrase)?;
    let out_pass = args.out_passphrase.resolve()?;
    let main = loader.load(&args.file).map_err(fail)?;
    let key_path = match &args.key {
        Some(path) => Some(path.clone()),
        None => waiting_key_for(&main, &args.data),
    };
    let key = key_path
        .as_deref()
        .map(|p| loader.load(p))
        .transpose()
        .map_err(fail)?;
    let format = ExportFormat::from(args.to);
    let credential = Credential::from_files(&main, key.as_ref())
        .and_then(|credential| {
            let bytes = credential.export(format, out_pass.as_ref())?;
            cert::write_secret_file(&args.out, &bytes, format.contains_key(), args.force)?;
            Ok(credential)
        })
        .map_err(fail)?;
    let what = match format {
        ExportFormat::Pem => "certificate + private key (PEM)",
        ExportFormat::CertPem => "certificate (PEM)",
        ExportFormat::KeyPem => "private key (PEM)",
        ExportFormat::P12 => "PKCS#12, modern encryption",
        ExportFormat::P12Legacy => "PKCS#12, legacy encryption",
    };
    let protection = match (format.contains_key(), &out_pass) {
        (false, _) => String::new(),
        (true, Some(_)) => ", protected by the output passphrase, owner-only".to_owned(),
        (true, None) if matches!(format, ExportFormat::P12 | ExportFormat::P12Legacy) => {
            ", empty passphrase, owner-only".to_owned()
        }
        (true, None) => ", key unencrypted, owner-only".to_owned(),
    };
    outln!(
        "wrote {}: {what} from {}{protection}",
        args.out.display(),
        credential.source
    )?;
    Ok(exit::OK)
}

/// A certificate error: exit code 1 when the credential itself is the problem, else 2.
fn fail(e: CertError) -> CliError {
    let code = if e.is_credential_problem() {
        exit::PROBLEM
    } else {
        exit::FAILED
    };
    CliError::new(e).with_code(code)
}

/// A lone certificate whose key `pushlab cert request` kept: that key's file, said aloud.
fn waiting_key_for(main: &LoadedFile, data: &DataDirArgs) -> Option<PathBuf> {
    if main.private_key.is_some() {
        return None;
    }
    let store = data.waiting_keys()?;
    let waiting = main.certificates.iter().find_map(|c| store.matching(c))?;
    eprintln!(
        "paired with the key kept by `pushlab cert request` for {} ({})",
        waiting.info.common_name,
        waiting.key_path.display()
    );
    Some(waiting.key_path)
}

fn request(args: RequestArgs) -> Exit {
    let subject = cert::RequestSubject::new(&args.email, &args.name, args.country.as_deref())
        .map_err(CliError::new)?;
    let passphrase = args.key_passphrase.resolve()?;
    let Some(store) = args.data.waiting_keys() else {
        return Err(CliError::new(NO_DATA_FOLDER));
    };
    if args.out.exists() && !args.force {
        return Err(CliError::new(format!(
            "{} exists: pass --force to replace it",
            args.out.display()
        )));
    }
    let kept = cert::SigningRequest::create(&subject)
        .and_then(|request| {
            let pem = request.to_pem()?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            // The key first: a request whose key was not kept would be worthless.
            let kept = store.keep(&request, &subject, passphrase.as_ref(), now)?;
            cert::write_secret_file(&args.out, &pem, false, args.force)?;
            Ok(kept)
        })
        .map_err(fail)?;
    outln!(
        "wrote {}: certificate signing request for {}",
        args.out.display(),
        subject.common_name()
    )?;
    outln!(
        "kept its private key (RSA 2048, owner-only{}) in {}",
        if kept.info.encrypted {
            ", encrypted"
        } else {
            ""
        },
        kept.key_path.display()
    )?;
    outln!("next: {}", cert::NEXT_STEP)?;
    outln!(
        "without that key Apple's certificate is useless: keep the data folder, or export the pair once it is made"
    )?;
    Ok(exit::OK)
}

const NO_DATA_FOLDER: &str = "no data folder on this system: give --data-dir DIR";

fn waiting(args: WaitingArgs) -> Exit {
    let Some(store) = args.data.waiting_keys() else {
        return Err(CliError::new(NO_DATA_FOLDER));
    };
    let keys = store.list();
    if keys.is_empty() {
        outln!(
            "no signing request is waiting for a certificate ({})",
            store.dir().display()
        )?;
    }
    for k in keys {
        let date = time::OffsetDateTime::from_unix_timestamp(k.info.created)
            .map(|t| t.date().to_string())
            .unwrap_or_default();
        outln!(
            "{}  {} <{}>, made {date}{}",
            k.key_path.display(),
            k.info.common_name,
            k.info.email,
            if k.info.encrypted { ", encrypted" } else { "" }
        )?;
    }
    Ok(exit::OK)
}
