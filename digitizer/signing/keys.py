"""The centre's signing key: a PKCS#12 file or a PKCS#11 token (the USB tokens Vietnamese
offices sign with), opened once per process. Every way the key cannot be used (a wrong
password or PIN, a token that is not there, a certificate out of its validity, a key that is
not the certificate's) is found when it is opened and said in one line naming the setting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from ..config import SettingsError, SignSettings
from ..text import nfc

PROBE = b"digitizer: does this key belong to the certificate?"


@dataclass
class CentreKey:
    """The pyHanko signer and its certificate; `close` ends a token session."""
    signer: Any                                  # pyhanko.sign.signers.Signer
    certificate: x509.Certificate
    close: Callable[[], None] = field(default=lambda: None)
    certificates_size: int = 0                   # DER bytes of every certificate the signature embeds

    @property
    def holder(self) -> str:
        return _name(self.certificate, x509.NameOID.COMMON_NAME) or self.certificate.subject.rfc4514_string()

    @property
    def organisation(self) -> str:
        return _name(self.certificate, x509.NameOID.ORGANIZATION_NAME)

    def problem_now(self) -> str | None:
        """Why the certificate cannot sign at this moment (it expired while running)."""
        return _validity_problem(self.certificate, datetime.now(timezone.utc))


def _name(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    found = cert.subject.get_attributes_for_oid(oid)
    return nfc(str(found[0].value)) if found else ""


def _validity_problem(cert: x509.Certificate, now: datetime) -> str | None:
    if now < cert.not_valid_before_utc:
        return f"the certificate is valid only from {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
    if now > cert.not_valid_after_utc:
        return f"the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d} UTC: renew it"
    return None


def _setting(name: str) -> str:
    return f"sign.{name} (DIGITIZER_SIGN_{name.upper()})"


def _checked(cert: x509.Certificate, setting: str) -> None:
    problem = _validity_problem(cert, datetime.now(timezone.utc))
    if problem:
        raise SettingsError(f"{_setting(setting)}: {problem} ({cert.subject.rfc4514_string()})")


def _asn1_cert(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _verifies(cert: x509.Certificate, signature: bytes) -> bool:
    public = cert.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, PROBE, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, PROBE, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def open_p12(settings: SignSettings) -> CentreKey:
    from asn1crypto import keys as asn1_keys
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    path = Path(settings.p12)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"{_setting('p12')}: cannot read {path}: {exc.strerror}") from None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, settings.p12_password.encode() or None)
    except ValueError:
        raise SettingsError(f"{_setting('p12_password')}: wrong password for {path}, or not a PKCS#12 file") from None
    if key is None or cert is None:
        raise SettingsError(f"{_setting('p12')}: {path} holds no private key with its certificate")
    _checked(cert, "p12")
    if key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) \
            != cert.public_key().public_bytes(serialization.Encoding.DER,
                                              serialization.PublicFormat.SubjectPublicKeyInfo):
        raise SettingsError(f"{_setting('p12')}: the key in {path} is not the certificate's")
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    signer = SimpleSigner(signing_cert=_asn1_cert(cert), signing_key=asn1_keys.PrivateKeyInfo.load(der),
                          cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]))
    return CentreKey(signer, cert, certificates_size=sum(len(c.public_bytes(serialization.Encoding.DER))
                                                         for c in [cert, *chain]))


def open_token(settings: SignSettings) -> CentreKey:
    import pkcs11
    from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
    from pkcs11 import exceptions as errors
    from pkcs11.util.ec import encode_ecdsa_signature
    from pyhanko.sign.pkcs11 import PKCS11Signer

    try:
        library = pkcs11.lib(settings.pkcs11_lib)
    except (OSError, RuntimeError, errors.PKCS11Error) as exc:
        raise SettingsError(f"{_setting('pkcs11_lib')}: cannot load {settings.pkcs11_lib}: {exc}") from None
    try:
        if settings.pkcs11_slot is not None:
            slots = {slot.slot_id: slot for slot in library.get_slots(token_present=True)}
            if settings.pkcs11_slot not in slots:
                raise SettingsError(f"{_setting('pkcs11_slot')}: no token in slot {settings.pkcs11_slot} "
                                    f"(slots with a token: {sorted(slots) or 'none'})")
            token = slots[settings.pkcs11_slot].get_token()
        else:
            token = library.get_token(token_label=settings.pkcs11_token or None)
    except (errors.NoSuchToken, errors.TokenNotPresent):
        present = [t.label for t in library.get_tokens()]
        raise SettingsError(f"{_setting('pkcs11_token')}: no token labelled {settings.pkcs11_token!r} is plugged in "
                            f"(tokens present: {', '.join(present) or 'none'})") from None
    except errors.MultipleTokensReturned:
        raise SettingsError(f"{_setting('pkcs11_token')}: several tokens are plugged in; name one by its label") \
            from None
    try:
        try:
            session = token.open(user_pin=settings.pkcs11_pin or None)
        except errors.UserAlreadyLoggedIn:      # another session of this process logged in: it is shared
            session = token.open()
    except (errors.PinIncorrect, errors.PinInvalid, errors.PinLenRange):
        raise SettingsError(f"{_setting('pkcs11_pin')}: wrong PIN for token {token.label!r} "
                            "(a token locks itself after a few wrong PINs)") from None
    except errors.PinLocked:
        raise SettingsError(f"{_setting('pkcs11_pin')}: the PIN of token {token.label!r} is locked") from None
    try:
        try:
            key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=settings.pkcs11_key or None)
        except (errors.NoSuchKey, errors.MultipleObjectsReturned):
            raise SettingsError(f"{_setting('pkcs11_key')}: no single private key labelled "
                                f"{settings.pkcs11_key!r} on token {token.label!r}") from None
        cert_label = settings.pkcs11_cert or settings.pkcs11_key
        found = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: cert_label}))
        if len(found) != 1:
            raise SettingsError(f"{_setting('pkcs11_cert')}: no single certificate labelled {cert_label!r} "
                                f"on token {token.label!r}")
        cert = x509.load_der_x509_certificate(found[0][Attribute.VALUE])
        _checked(cert, "pkcs11_key")
        private: Any = key             # a PrivateKey (get_key's type is the base class)
        if key.key_type == KeyType.EC:
            probe = encode_ecdsa_signature(private.sign(PROBE, mechanism=Mechanism.ECDSA_SHA256))
        else:
            probe = private.sign(PROBE, mechanism=Mechanism.SHA256_RSA_PKCS)
        if not _verifies(cert, probe):
            raise SettingsError(f"{_setting('pkcs11_key')}: key {settings.pkcs11_key!r} is not the key of "
                                f"certificate {cert_label!r}")
        signer = PKCS11Signer(session, cert_label=cert_label, key_label=settings.pkcs11_key or None,
                              signing_cert=_asn1_cert(cert))
        # pyHanko embeds the token's other certificates too (the chain a CA wrote onto it)
        everything = session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
        size = sum(len(c[Attribute.VALUE]) for c in everything)
    except BaseException:
        session.close()
        raise
    return CentreKey(signer, cert, session.close, size)


def open_key(settings: SignSettings) -> CentreKey | None:
    """The configured key, checked; None when signing is off (no key configured)."""
    if settings.p12 and settings.pkcs11_lib:
        raise SettingsError("sign: configure either sign.p12 or sign.pkcs11_lib, not both")
    if settings.p12:
        return open_p12(settings)
    if settings.pkcs11_lib:
        return open_token(settings)
    return None
