"""A throwaway CA and the centre's certificate, made on the spot for the tests and benchmarks
(nothing real is signed), and a SoftHSM2 token holding the key, as the USB tokens offices
sign with. Names are made up, as on every generated page."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SOFTHSM_LIB = Path("/usr/lib/softhsm/libsofthsm2.so")
CENTRE = "Trung tâm Phục vụ hành chính công xã Sơn Đông"


@dataclass
class Identity:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    ca: x509.Certificate
    ca_key: rsa.RSAPrivateKey

    def p12(self, path: Path, password: str) -> Path:
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            b"centre", self.key, self.cert, [self.ca], serialization.BestAvailableEncryption(password.encode())))
        return path


def _name(common: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_identity(valid_from: datetime | None = None, days: int = 365, key_size: int = 2048) -> Identity:
    """A CA and a signing certificate issued by it to the centre (valid from `valid_from`)."""
    now = datetime.now(timezone.utc)
    start = valid_from or now - timedelta(days=1)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    ca_name = _name("Throwaway test CA", "digitizer tests")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=3650))
          .not_valid_after(now + timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    cert = (x509.CertificateBuilder().subject_name(_name("Nguyễn Văn Thử", CENTRE)).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + timedelta(days=days))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return Identity(key, cert, ca, ca_key)


def make_tsa(identity: Identity) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A timestamp authority's certificate from the same CA (time stamping only, as RFC 3161 asks)."""
    now = datetime.now(timezone.utc)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name("Throwaway test TSA", "digitizer tests"))
            .issuer_name(identity.ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(identity.ca_key, hashes.SHA256()))
    return cert, key


@dataclass
class Token:
    conf: Path               # SOFTHSM2_CONF for the processes that use it
    label: str
    pin: str
    key_label: str

    def env(self) -> dict[str, str]:
        return {"SOFTHSM2_CONF": str(self.conf)}


def make_token(folder: Path, identity: Identity, label: str = "digitizer-test", pin: str = "246810",
               key_label: str = "centre") -> Token:
    """A SoftHSM2 token in `folder` holding the identity's key and certificate (softhsm2-util
    imports the key; the certificate is written through PKCS#11 by python-pkcs11)."""
    assert shutil.which("softhsm2-util") and SOFTHSM_LIB.exists(), "softhsm2 is installed by the project's set-up"
    tokens = folder / "tokens"
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "13579"],
                   check=True, capture_output=True, env=env)
    pem = folder / "key.pem"
    pem.write_bytes(identity.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(pem), "--token", label, "--label", key_label, "--id", "01",
                    "--pin", pin], check=True, capture_output=True, env=env)
    pem.unlink()
    os.environ["SOFTHSM2_CONF"] = str(conf)      # read by the library when it is loaded, in this process
    token = Token(conf, label, pin, key_label)
    store_certificate(token, identity.cert, key_label, b"\x01")
    return token


def store_certificate(token: Token, cert: x509.Certificate, label: str, object_id: bytes) -> None:
    """A certificate object on the token, as a CA's issuing software writes it."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(str(SOFTHSM_LIB))
    with lib.get_token(token_label=token.label).open(user_pin=token.pin, rw=True) as session:
        session.create_object({Attribute.CLASS: ObjectClass.CERTIFICATE,
                               Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,
                               Attribute.LABEL: label, Attribute.ID: object_id,
                               Attribute.SUBJECT: cert.subject.public_bytes(),
                               Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})
