use frontdesk::app::headless::{key, Headless};
use frontdesk::app::state::View;
fn main() {
    let mut args = std::env::args().skip(1);
    let db = args.next().unwrap();
    let keys: Vec<String> = args.collect();
    let store = frontdesk::store::Store::open(std::path::Path::new(&db)).unwrap();
    let agent = store.agents().unwrap().into_iter().next().unwrap();
    let mut h = Headless::start(store, agent, View::Open, (200, 50), chrono::Utc::now()).unwrap();
    println!("first {}", h.first_frame);
    for k in keys {
        let t = std::time::Instant::now();
        let n = h.press(key(&k)).unwrap();
        println!("{k}: {n} B {:?}", t.elapsed());
    }
}
