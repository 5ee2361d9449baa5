//! `inn`: the native command line of INN Playground (see `inn --help`).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = inn_playground::cli::run(
        &args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
