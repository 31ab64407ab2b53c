struct Order {
    customer: String,
    total_cents: u64,
}

/// The customer of every order over `min_cents`, borrowed from the orders: no copies.
fn big_spenders(orders: &[Order], min_cents: u64) -> Vec<&str> {
    orders
        .iter()
        .filter(|o| o.total_cents > min_cents)
        .map(|o| o.customer.as_str())
        .collect()
}

fn main() {
    let orders = vec![
        Order {
            customer: "Ada".into(),
            total_cents: 12_000,
        },
        Order {
            customer: "Grace".into(),
            total_cents: 800,
        },
    ];
    println!("{:?}", big_spenders(&orders, 1_000));
    println!("{} orders kept", orders.len());
}
