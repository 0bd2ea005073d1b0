//! A server on `127.0.0.1:0` over a temporary ledger, and a small HTTP client.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;

use epiledger_core::RegionCode;
use epiledger_server::{auth, open_sqlite, AppState, Config, Durability};
use epiledger_store::{Actor, Role};
use epiledger_store_sqlite::SqliteStore;
use serde_json::Value;

/// A running server.
pub struct TestServer {
    pub base: String,
    pub path: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

/// Tokens of every role: a reporter per unit, a compiler, an admin.
pub struct Tokens {
    pub reporters: Vec<(RegionCode, String)>,
    pub compiler: String,
    pub admin: String,
}

impl Tokens {
    pub fn reporter(&self, unit: &str) -> &str {
        let unit: RegionCode = unit.parse().unwrap();
        &self.reporters.iter().find(|(u, _)| *u == unit).unwrap().1
    }
}

fn local() -> Actor {
    Actor {
        token_id: None,
        name: "test".into(),
        role: "local".into(),
        address: "local".into(),
        request_id: String::new(),
    }
}

impl TestServer {
    /// A server with tokens for every unit, and `setup` run on the store first.
    pub fn start(config: Config, setup: impl FnOnce(&mut SqliteStore)) -> (TestServer, Tokens) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let tokens = {
            let mut store = SqliteStore::open(&path).unwrap();
            setup(&mut store);
            let mut reporters = Vec::new();
            for &u in epiledger_core::ledger::hierarchy::REPORTING_UNITS.iter() {
                let (secret, _) = auth::create_token(
                    &mut store,
                    Role::Reporter,
                    Some(u),
                    &format!("r{u}"),
                    local(),
                )
                .unwrap();
                reporters.push((u, secret));
            }
            let (compiler, _) =
                auth::create_token(&mut store, Role::Compiler, None, "nhc", local()).unwrap();
            let (admin, _) =
                auth::create_token(&mut store, Role::Admin, None, "ops", local()).unwrap();
            Tokens {
                reporters,
                compiler,
                admin,
            }
        };
        let (writer, readers) = open_sqlite(&path, 2, Durability::Normal).unwrap();
        let (addr_tx, addr_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let state = AppState::new(writer, readers, config);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                epiledger_server::serve(state, listener, async {
                    let _ = stop_rx.await;
                })
                .await
                .unwrap();
            });
        });
        let addr = addr_rx.recv().unwrap();
        (
            TestServer {
                base: format!("http://{addr}"),
                path,
                stop: Some(stop_tx),
                thread: Some(thread),
                _dir: dir,
            },
            tokens,
        )
    }

    /// A request; returns the status, the headers asked for, and the body.
    pub fn call(&self, req: Req) -> Resp {
        let agent = ureq::AgentBuilder::new().build();
        let mut r = agent.request(req.method, &format!("{}{}", self.base, req.path));
        if let Some(t) = &req.token {
            r = r.set("Authorization", &format!("Bearer {t}"));
        }
        for (k, v) in &req.headers {
            r = r.set(k, v);
        }
        let result = match &req.body {
            Some((ct, body)) => r.set("Content-Type", ct).send_bytes(body),
            None => r.call(),
        };
        let resp = match result {
            Ok(resp) => resp,
            Err(ureq::Error::Status(_, resp)) => resp,
            Err(e) => panic!("{} {}: {e}", req.method, req.path),
        };
        let status = resp.status();
        let headers: Vec<(String, String)> = resp
            .headers_names()
            .into_iter()
            .map(|n| {
                let v = resp.header(&n).unwrap_or_default().to_string();
                (n, v)
            })
            .collect();
        let mut body = Vec::new();
        resp.into_reader().read_to_end(&mut body).unwrap();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.call(Req::new("GET", path).token(token))
    }

    pub fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.call(Req::new("POST", path).token(token).json(body))
    }

    /// Stops the server gracefully.
    pub fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A request.
pub struct Req {
    pub method: &'static str,
    pub path: String,
    pub token: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Option<(String, Vec<u8>)>,
}

impl Req {
    pub fn new(method: &'static str, path: &str) -> Req {
        Req {
            method,
            path: path.to_string(),
            token: None,
            headers: Vec::new(),
            body: None,
        }
    }
    pub fn token(mut self, t: Option<&str>) -> Req {
        self.token = t.map(str::to_string);
        self
    }
    pub fn header(mut self, k: &str, v: &str) -> Req {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
    pub fn json(mut self, v: &Value) -> Req {
        self.body = Some(("application/json".into(), v.to_string().into_bytes()));
        self
    }
    pub fn body(mut self, content_type: &str, bytes: impl Into<Vec<u8>>) -> Req {
        self.body = Some((content_type.into(), bytes.into()));
        self
    }
}

/// A response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Asserts the status, showing the body otherwise.
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }
    /// Asserts a JSON error of this status, with a request id.
    pub fn expect_error(self, status: u16, code: &str) -> Resp {
        assert_eq!(self.status, status, "{}", self.body);
        let v = self.json();
        assert_eq!(v["error"]["status"], status, "{}", self.body);
        assert_eq!(v["error"]["code"], code, "{}", self.body);
        let id = v["error"]["request_id"].as_str().unwrap_or_default();
        assert!(!id.is_empty(), "no request id: {}", self.body);
        assert_eq!(self.header("x-request-id"), Some(id));
        self
    }
}

/// A unit's report of a day: new confirmed cases by origin, deaths, discharges, and the
/// stock of confirmed cases consistent with yesterday's (`current_before`).
pub fn report(date: &str, unit: &str, local: i64, imported: i64, current_before: i64) -> Value {
    let discharged = 1;
    serde_json::json!({
        "date": date,
        "unit": unit,
        "figures": [
            { "measure": "confirmed_new", "origin": "all", "value": local + imported },
            { "measure": "confirmed_new", "origin": "imported", "value": imported },
            { "measure": "confirmed_new", "origin": "local", "value": local },
            { "measure": "deaths_new", "origin": "all", "value": 0 },
            { "measure": "discharged_new", "origin": "all", "value": discharged },
            { "measure": "confirmed_current", "origin": "all",
              "value": current_before + local + imported - discharged },
        ]
    })
}
