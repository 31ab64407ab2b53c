fn print_report(lines: Vec<String>) {
    for line in lines {
        println!("{line}");
    }
}

fn main() {
    let lines = vec![String::from("cpu 93%"), String::from("mem 41%")];
    print_report(lines);
    print_report(lines); // print it again, for the log
}
