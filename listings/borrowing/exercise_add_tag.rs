fn add_tag(tags: &Vec<String>, tag: &str) {
    tags.push(tag.to_string());
}

fn main() {
    let tags = vec![String::from("urgent")];
    add_tag(&tags, "billing");
    println!("{tags:?}");
}
