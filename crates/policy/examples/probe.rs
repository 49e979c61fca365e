//! Prints what a policy directory says about a plan (for trying policies by hand).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ns = match args.get(3).map(String::as_str) {
        Some("all") => planguard_policy::Namespaces::All,
        Some(list) => planguard_policy::Namespaces::List(list.split(',').map(String::from).collect()),
        None => planguard_policy::Namespaces::Default,
    };
    let mut set = match planguard_policy::PolicySet::load(&[&args[1]], &ns) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    if let Some(ms) = std::env::var("PROBE_LIMIT_MS").ok().and_then(|v| v.parse().ok()) {
        set.set_time_limit(std::time::Duration::from_millis(ms));
    }
    let text = std::fs::read_to_string(&args[2]).expect("plan");
    if std::env::var_os("PROBE_RAW").is_some() {
        let t = std::time::Instant::now();
        let v = regorus::Value::from_json_str(&text).expect("json");
        eprintln!("raw regorus parse {:?}", t.elapsed());
        drop(v);
        let t = std::time::Instant::now();
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        eprintln!("serde_json parse {:?}", t.elapsed());
        drop(v);
    }
    let t = std::time::Instant::now();
    let input = set.build_input(&text).expect("input");
    eprintln!("input {:?}", t.elapsed());
    let t = std::time::Instant::now();
    match set.evaluate(&input) {
        Ok(o) => {
            eprintln!("eval {:?}", t.elapsed());
            for r in &o.results {
                println!("{r:?}");
            }
            for r in &o.excepted {
                println!("EXCEPTED {r:?}");
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
