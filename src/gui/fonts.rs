//! Fonts for every script: egui's own fonts draw Latin, Cyrillic, Greek and its emoji set;
//! everything else (Chinese, Japanese, Korean, Arabic, Hebrew, …) comes from fonts the system
//! already has, found with `fontdb` and added as fallbacks *behind* egui's fonts. Finding and
//! reading them takes a moment (a CJK font is 5–20 MB), so it happens on a thread after the
//! first frame, and the fonts are installed with `Context::add_font` when they arrive.

use std::sync::Arc;
use std::sync::mpsc;

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontDefinitions, FontFamily};

/// A writing system the app should be able to draw, with a character that proves a font has
/// it and the fonts to prefer for it (the platforms' own first: PingFang/Hiragino on macOS,
/// Microsoft YaHei/Segoe on Windows, Noto/WenQuanYi/DejaVu from fontconfig on Linux).
struct Script {
    name: ScriptName,
    sample: char,
    preferred: &'static [&'static str],
}

/// A script a font may be missing for, as the app names it to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptName {
    /// Chinese, Japanese and Korean.
    Cjk,
    /// Arabic, written right to left.
    Arabic,
    /// Hebrew, written right to left.
    Hebrew,
    /// Cyrillic, Greek and emoji: egui draws them, and a system font only fills its gaps, so one
    /// missing is not worth naming.
    Other,
}

const SCRIPTS: &[Script] = &[
    Script {
        name: ScriptName::Cjk,
        sample: '门',
        preferred: &[
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "Source Han Sans CN",
            "PingFang SC",
            "Microsoft YaHei",
            "WenQuanYi Micro Hei",
            "WenQuanYi Zen Hei",
            "Noto Sans SC",
            "Hiragino Sans GB",
            "Droid Sans Fallback",
        ],
    },
    Script {
        name: ScriptName::Cjk,
        sample: '響',
        preferred: &["Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei"],
    },
    Script {
        name: ScriptName::Cjk,
        sample: 'の',
        preferred: &["Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo"],
    },
    Script {
        name: ScriptName::Cjk,
        sample: '알',
        preferred: &["Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic"],
    },
    Script {
        name: ScriptName::Arabic,
        sample: 'ع',
        preferred: &["Noto Sans Arabic", "Geeza Pro", "Segoe UI", "DejaVu Sans"],
    },
    Script {
        name: ScriptName::Hebrew,
        sample: 'ש',
        preferred: &[
            "Noto Sans Hebrew",
            "Arial Hebrew",
            "Segoe UI",
            "DejaVu Sans",
        ],
    },
    Script {
        name: ScriptName::Other,
        sample: 'д',
        preferred: &["DejaVu Sans", "Segoe UI", "Helvetica Neue"],
    },
    Script {
        name: ScriptName::Other,
        sample: 'λ',
        preferred: &["DejaVu Sans", "Segoe UI", "Helvetica Neue"],
    },
    Script {
        name: ScriptName::Other,
        sample: '🔔',
        preferred: &["Noto Emoji", "Segoe UI Emoji", "Segoe UI Symbol", "Symbola"],
    },
];

/// The samples the app checks after loading, for tests and the status line.
pub const SAMPLES: &str = "门響の알عשдλ🔔";

/// Fonts found on the system, ready to install.
pub struct Found {
    fonts: Vec<(String, FontData)>,
    /// Scripts no font was found for.
    pub missing: Vec<ScriptName>,
    /// Bytes of font files read into memory.
    pub bytes: usize,
}

/// Where loading the system's fonts stands.
pub enum SystemFonts {
    /// Looking, on a thread; the result comes through the channel.
    Loading(mpsc::Receiver<Found>),
    /// Installed; what was missing, and how many bytes of fonts were added.
    Ready {
        /// Scripts no font was found for.
        missing: Vec<ScriptName>,
        /// Bytes of font files read into memory.
        bytes: usize,
    },
}

impl SystemFonts {
    /// Starts looking for fonts on a thread; `ctx` is woken when they are ready.
    pub fn start(ctx: &egui::Context) -> Self {
        let (tx, rx) = mpsc::sync_channel(1);
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("pushlab-fonts".into())
            .spawn(move || {
                let found = discover();
                if tx.send(found).is_ok() {
                    ctx.request_repaint();
                }
            });
        if spawned.is_err() {
            // No thread, no extra fonts: egui's own still draw Latin, Cyrillic and Greek.
            return SystemFonts::Ready {
                missing: vec![ScriptName::Cjk, ScriptName::Arabic, ScriptName::Hebrew],
                bytes: 0,
            };
        }
        SystemFonts::Loading(rx)
    }

    /// Installs the fonts once they have arrived. Called every frame; cheap while waiting.
    /// Returns the bytes of font files installed on the frame they arrive.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<usize> {
        let SystemFonts::Loading(rx) = self else {
            return None;
        };
        let found = match rx.try_recv() {
            Ok(found) => found,
            Err(mpsc::TryRecvError::Empty) => return None,
            Err(mpsc::TryRecvError::Disconnected) => Found {
                fonts: Vec::new(),
                missing: vec![ScriptName::Cjk, ScriptName::Arabic, ScriptName::Hebrew],
                bytes: 0,
            },
        };
        for (name, data) in found.fonts {
            // Behind egui's fonts in both families, so Latin text keeps egui's look and the
            // code editor keeps its monospace font.
            let families = [FontFamily::Proportional, FontFamily::Monospace]
                .into_iter()
                .map(|family| InsertFontFamily {
                    family,
                    priority: FontPriority::Lowest,
                })
                .collect();
            ctx.add_font(FontInsert::new(&name, data, families));
        }
        *self = SystemFonts::Ready {
            missing: found.missing,
            bytes: found.bytes,
        };
        Some(found.bytes)
    }

    /// Whether loading has finished.
    pub fn is_ready(&self) -> bool {
        matches!(self, SystemFonts::Ready { .. })
    }

    /// Whether Chinese, Japanese and Korean can be drawn now.
    pub fn has_cjk(&self) -> bool {
        matches!(self, SystemFonts::Ready { missing, .. } if !missing.contains(&ScriptName::Cjk))
    }

    /// The scripts no font was found for (empty while loading).
    pub fn missing(&self) -> &[ScriptName] {
        match self {
            SystemFonts::Ready { missing, .. } => missing,
            SystemFonts::Loading(_) => &[],
        }
    }
}

/// Finds a font for each script egui's own fonts cannot draw, and reads it.
fn discover() -> Found {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    // What egui draws already, so only what it lacks is added.
    let defaults: Vec<Arc<FontData>> = FontDefinitions::default().font_data.into_values().collect();
    let mut chosen: Vec<(String, FontData)> = Vec::new();
    let mut missing = Vec::new();
    let mut bytes = 0;
    for script in SCRIPTS {
        let drawn_by_default = defaults
            .iter()
            .any(|font| covers(font.bytes(), font.index, script.sample));
        let drawn_by_chosen = chosen
            .iter()
            .any(|(_, font)| covers(font.bytes(), font.index, script.sample));
        if drawn_by_default || drawn_by_chosen {
            continue;
        }
        match find_face(&db, script) {
            Some((name, data)) => {
                bytes += data.bytes().len();
                chosen.push((name, data));
            }
            None => {
                if !missing.contains(&script.name) {
                    missing.push(script.name);
                }
            }
        }
    }
    Found {
        fonts: chosen,
        missing,
        bytes,
    }
}

/// A preferred family with the sample glyph, else any regular upright face that has it
/// (sans-serif names first, then by name, so the pick is the same on every run).
fn find_face(db: &fontdb::Database, script: &Script) -> Option<(String, FontData)> {
    for family in script.preferred {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            ..fontdb::Query::default()
        };
        if let Some(id) = db.query(&query)
            && let Some(found) = read_face(db, id, script.sample)
        {
            return Some(found);
        }
    }
    let mut faces: Vec<&fontdb::FaceInfo> = db
        .faces()
        .filter(|f| f.style == fontdb::Style::Normal && f.weight == fontdb::Weight::NORMAL)
        .collect();
    faces.sort_by_key(|f| {
        let name = f
            .families
            .first()
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        (!name.contains("Sans"), name)
    });
    faces
        .into_iter()
        .find_map(|face| read_face(db, face.id, script.sample))
}

/// The face's file, mapped into memory, when it has an outline glyph for `sample`.
fn read_face(db: &fontdb::Database, id: fontdb::ID, sample: char) -> Option<(String, FontData)> {
    let face = db.face(id)?;
    let fontdb::Source::File(path) = &face.source else {
        return None;
    };
    let name = face.post_script_name.clone();
    let index = face.index;
    let data = map_font(path)?;
    if !covers(data.as_ref().as_ref(), index, sample) {
        return None;
    }
    Some((name, FontData::from_blob(data, index)))
}

/// A font file's bytes. Mapped rather than read, so a 20 MB CJK font costs only the pages of
/// the glyphs actually drawn (the cmap and a few outlines: well under 1 MB resident) instead of
/// its whole size; read into memory where mapping fails.
fn map_font(path: &std::path::Path) -> Option<Arc<dyn AsRef<[u8]> + Send + Sync>> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: a mapped file changed underneath would change the bytes read (or fault, if
    // truncated). System font files are not written in place: package managers and font
    // installers write a new file and rename it over the old, which leaves this mapping on the
    // old contents.
    #[allow(unsafe_code)]
    let mapped = unsafe { memmap2::Mmap::map(&file) };
    match mapped {
        Ok(map) => Some(Arc::new(map)),
        Err(_) => std::fs::read(path)
            .ok()
            .map(|data| Arc::new(data) as Arc<dyn AsRef<[u8]> + Send + Sync>),
    }
}

/// Whether the face has a drawable outline for `c` (colour-bitmap emoji fonts do not count:
/// egui cannot draw them).
fn covers(data: &[u8], index: u32, c: char) -> bool {
    let Ok(face) = ttf_parser::Face::parse(data, index) else {
        return false;
    };
    let has_outlines = face.tables().glyf.is_some() || face.tables().cff.is_some();
    has_outlines && face.glyph_index(c).is_some()
}
