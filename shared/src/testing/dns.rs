//! A name server for the tests, on loopback: every domain takes mail (an MX record), but for
//! a few that stand for what the mailer must not send to. Started once per test process, on a
//! thread of its own, so the functions started as processes can ask it too.

use hickory_resolver::proto::op::{Message, MessageType, ResponseCode};
use hickory_resolver::proto::rr::rdata::{A, MX};
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
use std::net::SocketAddr;
use std::sync::OnceLock;

/// A domain that does not exist.
pub const NO_SUCH_DOMAIN: &str = "no-such-domain.example";
/// A domain that says it takes no mail (RFC 7505).
pub const NULL_MX: &str = "null-mx.example";
/// A domain with no mail exchanger and no address.
pub const NO_RECORDS: &str = "no-records.example";
/// A domain with an address and no mail exchanger: mail goes to the address.
pub const ADDRESS_ONLY: &str = "address-only.example";

/// The name server's address, started on first use.
pub fn name_server() -> SocketAddr {
    static SERVER: OnceLock<SocketAddr> = OnceLock::new();
    *SERVER.get_or_init(|| {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("a loopback port");
        let address = socket.local_addr().expect("its address");
        std::thread::spawn(move || serve(&socket));
        address
    })
}

fn serve(socket: &std::net::UdpSocket) {
    let mut buffer = [0u8; 4096];
    loop {
        let Ok((read, from)) = socket.recv_from(&mut buffer) else {
            continue;
        };
        let Ok(query) = Message::from_vec(&buffer[..read]) else {
            continue;
        };
        if let Ok(bytes) = answer(&query).to_vec() {
            let _ = socket.send_to(&bytes, from);
        }
    }
}

fn answer(query: &Message) -> Message {
    let mut response = Message::response(query.metadata.id, query.metadata.op_code);
    response.metadata.message_type = MessageType::Response;
    response.metadata.recursion_desired = query.metadata.recursion_desired;
    response.metadata.recursion_available = true;
    response.metadata.authoritative = true;
    response.add_queries(query.queries.clone());
    let Some(question) = query.queries.first() else {
        response.metadata.response_code = ResponseCode::FormErr;
        return response;
    };
    let name = question.name.clone();
    let domain = name.to_ascii().trim_end_matches('.').to_lowercase();
    if domain == NO_SUCH_DOMAIN || domain.ends_with(&format!(".{NO_SUCH_DOMAIN}")) {
        response.metadata.response_code = ResponseCode::NXDomain;
        return response;
    }
    let data = match (question.query_type, domain.as_str()) {
        (RecordType::MX, NULL_MX) => Some(RData::MX(MX::new(0, Name::root()))),
        (RecordType::MX, NO_RECORDS | ADDRESS_ONLY) | (RecordType::A, NO_RECORDS | NULL_MX) => None,
        (RecordType::MX, _) => Some(RData::MX(MX::new(
            10,
            Name::from_ascii(format!("mx.{domain}.")).expect("a name"),
        ))),
        (RecordType::A, _) => Some(RData::A(A::new(192, 0, 2, 1))),
        _ => None,
    };
    if let Some(data) = data {
        response.add_answer(Record::from_rdata(name, 300, data));
    }
    response
}
