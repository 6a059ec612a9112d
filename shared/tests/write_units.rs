//! What a confirmed signature costs in DynamoDB write units, priced from the table's own stream,
//! held to its budget: a change that adds a write to the flow, or grows an item past a
//! kilobyte, fails here rather than in next month's bill.

use people_first::testing::write_units::{self, BUDGET};

#[tokio::test]
async fn a_confirmed_signature_costs_no_more_write_units_than_its_budget() {
    // Enough signers that the aggregate's transaction is shared as on a launch, in the
    // deployed mapping's batches of 1,000 records.
    let units = write_units::per_confirmed_signature(200, 1000).await;
    assert!(
        units.per_signature <= BUDGET,
        "{:.3} write units per confirmed signature, over the budget of {BUDGET}: {:#?}",
        units.per_signature,
        units.by_kind
    );
}
