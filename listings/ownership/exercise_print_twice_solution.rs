fn print_report(lines: &[String]) {
    for line in lines {
        println!("{line}");
    }
}

fn main() {
    let lines = vec![String::from("cpu 93%"), String::from("mem 41%")];
    print_report(&lines);
    print_report(&lines); // borrowing twice is fine: nothing moved
}
