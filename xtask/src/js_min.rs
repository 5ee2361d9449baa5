//! Minifies one ES module with oxc: compress, then mangle local names
//! (top-level ones too, as a module's are private), then print without
//! whitespace or comments. A module's interface (what it imports, from
//! where, and what it exports) is checked to be the same after as before,
//! so the page's imports from the glue and from each other keep resolving.

use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions};
use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
use oxc_parser::{Parser, ParserReturn};
use oxc_span::SourceType;
use oxc_syntax::module_record::{ExportExportName, ExportImportName, ImportImportName};

/// `source` (an ES module) minified, or an error that says what and where
/// (line and column in `source`).
pub fn minify(source: &str) -> Result<String, String> {
    let allocator = Allocator::default();
    let parsed = parse(&allocator, source)?;
    let before = interface(&parsed);
    let mut program = parsed.program;
    let options = MinifierOptions {
        mangle: Some(MangleOptions::default()),
        compress: Some(CompressOptions::default()),
        ..MinifierOptions::default()
    };
    let minified = Minifier::new(options).minify(&allocator, &mut program);
    let code = Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .with_private_member_mappings(minified.class_private_mappings)
        .build(&program)
        .code;

    let check = Allocator::default();
    let reparsed =
        parse(&check, &code).map_err(|e| format!("the minified code does not parse: {e}"))?;
    let after = interface(&reparsed);
    if before != after {
        return Err(format!(
            "minifying changed the module's imports or exports: {before:?} became {after:?}"
        ));
    }
    Ok(code)
}

fn parse<'a>(allocator: &'a Allocator, source: &'a str) -> Result<ParserReturn<'a>, String> {
    let parsed = Parser::new(allocator, source, SourceType::mjs()).parse();
    if let Some(error) = parsed.diagnostics.errors().next() {
        let at = error
            .labels
            .first()
            .map(|label| {
                let (line, column) = line_column(source, label.offset() as usize);
                format!(" at line {line}, column {column}")
            })
            .unwrap_or_default();
        return Err(format!("{}{at}", error.message));
    }
    if parsed.panicked {
        return Err("the parser gave up".into());
    }
    Ok(parsed)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset.min(text.len()))];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// What other modules see of a module: each import as `module name`, each
/// export as `name` (re-exports as `name from module`), sorted.
fn interface(parsed: &ParserReturn) -> Vec<String> {
    let record = &parsed.module_record;
    let mut out = Vec::new();
    for entry in &record.import_entries {
        let name = match &entry.import_name {
            ImportImportName::Name(n) => n.name.to_string(),
            ImportImportName::NamespaceObject => "*".into(),
            ImportImportName::Default(_) => "default".into(),
        };
        out.push(format!("import {} {name}", entry.module_request.name));
    }
    for module in record.requested_modules.keys() {
        out.push(format!("request {module}"));
    }
    let exports = record
        .local_export_entries
        .iter()
        .chain(&record.indirect_export_entries)
        .chain(&record.star_export_entries);
    for entry in exports {
        let name = match &entry.export_name {
            ExportExportName::Name(n) => n.name.to_string(),
            ExportExportName::Default(_) => "default".into(),
            ExportExportName::Null => "*".into(),
        };
        let from = match (&entry.module_request, &entry.import_name) {
            (Some(m), ExportImportName::Name(n)) => format!(" from {} {}", m.name, n.name),
            (Some(m), _) => format!(" from {} *", m.name),
            (None, _) => String::new(),
        };
        out.push(format!("export {name}{from}"));
    }
    out.push(format!("dynamic imports {}", record.dynamic_imports.len()));
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinks_and_keeps_exported_and_imported_names() {
        let source = "import { helperFunction as localHelper } from './helper.js';\n\
            // a comment that goes\n\
            const longLocalName = 40;\n\
            export function publicName(argumentName) {\n  \
              return localHelper(argumentName + longLocalName + 2);\n\
            }\n\
            export default class Widget { constructor() { this.size = 1; } }\n";
        let out = minify(source).unwrap();
        assert!(out.len() * 3 < source.len() * 2, "{out}");
        assert!(!out.contains("comment"), "{out}");
        assert!(!out.contains("longLocalName"), "{out}");
        assert!(!out.contains("argumentName"), "{out}");
        assert!(out.contains("helperFunction"), "{out}");
        assert!(out.contains("./helper.js"), "{out}");
        assert!(out.contains("publicName"), "{out}");
        assert!(out.contains("export default"), "{out}");
        // Property names are the page's data, not the minifier's to rename.
        assert!(out.contains(".size"), "{out}");
    }

    #[test]
    fn keeps_worker_urls_and_import_meta() {
        let source = "export const w = () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });";
        let out = minify(source).unwrap();
        assert!(
            out.contains("./worker.js") && out.contains("import.meta.url"),
            "{out}"
        );
    }

    #[test]
    fn a_syntax_error_fails_with_its_place() {
        let err = minify("export const a = 1;\nconst b = ;\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab\ncd", 99), (2, 3));
    }

    #[test]
    fn interface_lists_imports_and_exports() {
        let allocator = Allocator::default();
        let parsed = parse(
            &allocator,
            "import a, { b as c } from './m.js'; export { c as d }; export * from './n.js';",
        )
        .unwrap();
        let seen = interface(&parsed);
        for want in [
            "import ./m.js default",
            "import ./m.js b",
            "export d from ./m.js b",
            "request ./n.js",
        ] {
            assert!(seen.iter().any(|s| s == want), "{want} not in {seen:?}");
        }
    }
}
