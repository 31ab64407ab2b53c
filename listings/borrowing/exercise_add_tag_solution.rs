fn add_tag(tags: &mut Vec<String>, tag: &str) {
    tags.push(tag.to_string());
}

fn main() {
    let mut tags = vec![String::from("urgent")];
    add_tag(&mut tags, "billing");
    println!("{tags:?}");
}
