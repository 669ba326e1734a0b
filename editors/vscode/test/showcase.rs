struct Player { name: String, score: u32 }

fn main() {
    let mut player = Player { name: String::from("Ferris"), score: 0 };
    let p = &mut player;
    let score = &mut p.score;
    println!("{}", player.name);
    *score += 1;
}
