use std::thread;

fn main() {
    let readings = vec![3, 1, 4, 1, 5];
    let (sum, max) = thread::scope(|s| {
        // Both threads borrow `readings`; the scope joins them before it returns.
        let sum = s.spawn(|| readings.iter().sum::<i32>());
        let max = s.spawn(|| readings.iter().max().copied());
        (sum.join().unwrap(), max.join().unwrap())
    });
    println!("sum {sum}, max {max:?}, still own {readings:?}");
}
