//! A bare axum handler on the same runtime settings as the server: the
//! ceiling the benchmarks compare the real routes against.
//! `cargo run --release -p healing-server --example bare` (listens on HEALING_BIND or 127.0.0.1:0).

use axum::Json;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = axum::Router::new().route(
        "/",
        get(|| async { Json(serde_json::json!({ "success": true, "data": "ok" })) }),
    );
    let bind = std::env::var("HEALING_BIND").unwrap_or_else(|_| "127.0.0.1:0".to_owned());
    let listener = tokio::net::TcpListener::bind(bind).await?;
    #[expect(
        clippy::print_stdout,
        reason = "the listening line is what scripts wait for"
    )]
    {
        println!("listening on http://{}", listener.local_addr()?);
    }
    axum::serve(listener, app).await
}
