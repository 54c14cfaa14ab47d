"""HTTP clients for the integration tests: a keep-alive client for ordinary
requests and a raw socket for framing tests."""

import collections
import http.client
import json
import socket
import time

Response = collections.namedtuple("Response", "status headers json body")
Response.__doc__ = """One HTTP response: status (int), headers (dict, names in lower
case, repeated fields joined with ", "), json (the parsed body, or None when it
is empty or not JSON) and body (the raw bytes)."""


def free_port():
    """A loopback TCP port nobody listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _header_dict(pairs):
    headers = {}
    for name, value in pairs:
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _parse_json(body):
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


class Client:
    """One keep-alive HTTP/1.1 connection to the daemon, reopened when the
    daemon closes it.  Not thread-safe: give each thread a Client of its own."""

    def __init__(self, port, host="127.0.0.1", timeout=30.0):
        self.host = host
        self.port = port
        self.timeout = timeout
        self._conn = None

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method, path, json_body=None, token=None, headers=None,
                raw_body=None, timeout=None):
        """Sends one request and returns its Response.  json_body is encoded
        as UTF-8 JSON; raw_body is sent as given.  Either sets Content-Type:
        application/json and Content-Length.  token adds "Authorization: Bearer
        TOKEN".  headers add or replace fields (names are case-insensitive);
        a value of None leaves that field out, Host included.  A GET or HEAD
        that finds its reused connection closed is sent once more; nothing
        else is ever repeated."""
        if json_body is not None and raw_body is not None:
            raise ValueError("json_body and raw_body exclude each other")
        body = raw_body
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        fields = {}
        if body is not None:
            fields["Content-Type"] = "application/json"
            fields["Content-Length"] = str(len(body))
        if token is not None:
            fields["Authorization"] = f"Bearer {token}"
        for name, value in (headers or {}).items():
            for known in [k for k in fields if k.lower() == name.lower()]:
                del fields[known]
            if value is not None:
                fields[name] = value
        skip_host = any(name.lower() == "host" for name in (headers or {}))

        reused = self._conn is not None
        try:
            return self._exchange(method, path, fields, body, skip_host, timeout)
        except (ConnectionResetError, BrokenPipeError):
            self.close()
            if not reused or method not in ("GET", "HEAD"):
                raise
        except BaseException:
            self.close()
            raise
        try:
            return self._exchange(method, path, fields, body, skip_host, timeout)
        except BaseException:
            self.close()
            raise

    def _exchange(self, method, path, fields, body, skip_host, timeout):
        timeout = self.timeout if timeout is None else timeout
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        conn = self._conn
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        conn.putrequest(method, path, skip_host=skip_host, skip_accept_encoding=True)
        for name, value in fields.items():
            conn.putheader(name, value)
        conn.endheaders(body)
        response = conn.getresponse()
        data = response.read()
        if response.will_close:
            self.close()
        return Response(response.status, _header_dict(response.getheaders()),
                        _parse_json(data), data)


class RawConnection:
    """A plain socket to the daemon, for bytes http.client would never send
    and for seeing exactly what comes back, and when.  source, when given, is
    the local address to connect from (on Linux any of 127/8 reaches a
    daemon on 127.0.0.1), so that one test can play several clients."""

    def __init__(self, port, host="127.0.0.1", timeout=10.0, source=None):
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.received = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def send(self, data, pieces=1, delay=0.0):
        """Sends data in `pieces` parts of about equal size, or cut at the
        offsets in `pieces` when it is a list, sleeping `delay` seconds
        between parts."""
        if isinstance(pieces, int):
            step = max(1, -(-len(data) // max(1, pieces)))
            cuts = list(range(step, len(data), step))
        else:
            cuts = sorted(c for c in pieces if 0 < c < len(data))
        start = 0
        for cut in cuts + [len(data)]:
            self.sock.sendall(data[start:cut])
            start = cut
            if delay and start < len(data):
                time.sleep(delay)

    def _fill(self, deadline):
        """Reads more bytes; False once the daemon has closed the connection."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no complete answer within the time given "
                               f"({len(self.received)} bytes so far)")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        self.received += chunk
        return bool(chunk)

    def read_response(self, timeout=None):
        """Reads exactly one response, framed by its Content-Length (or by
        the connection closing when it has none), and returns it as a
        Response; bytes after it stay for the next call.  Raises EOFError when
        the connection closes first, TimeoutError when time runs out."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while b"\r\n\r\n" not in self.received:
            if not self._fill(deadline):
                raise EOFError(f"connection closed after {len(self.received)} "
                               "bytes of a response")
        head_end = self.received.index(b"\r\n\r\n") + 4
        lines = self.received[:head_end - 4].decode("iso-8859-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = _header_dict(tuple(line.split(":", 1)) for line in lines[1:])
        headers = {name: value.strip() for name, value in headers.items()}
        if "content-length" in headers:
            end = head_end + int(headers["content-length"])
            while len(self.received) < end:
                if not self._fill(deadline):
                    raise EOFError("connection closed inside a response body")
        elif status < 200 or status in (204, 304):
            end = head_end
        else:
            while self._fill(deadline):
                pass
            end = len(self.received)
        body = self.received[head_end:end]
        self.received = self.received[end:]
        return Response(status, headers, _parse_json(body), body)

    def closed_within(self, timeout):
        """True when the daemon closes the connection within timeout seconds;
        whatever it sends meanwhile is kept in `received`."""
        deadline = time.monotonic() + timeout
        try:
            while self._fill(deadline):
                pass
        except TimeoutError:
            return False
        return True
