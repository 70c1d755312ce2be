"""KEY: vendor token formats, one named row per vendor (or family of formats) in a table.

The pattern is the evidence: `ghp_` + 36 characters is a GitHub token wherever it sits. A row
names the detector (the `source` of its spans), the literal anchors every token starts with
(found by `str`-speed search, see `AnchoredDetector`), the patterns, and how far around an
anchor a pattern reads. Adding a vendor is one row and one line in tests/redact/test_keys.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from redact.filters import is_placeholder
from redact.labels import Label

from .anchored import AnchoredDetector, derive_anchor_data
from .registry import register_factory

_B = r"(?<![A-Za-z0-9_\-])"  # token boundary before a vendor prefix
_E = r"(?![A-Za-z0-9_\-])"  # ... and after the token
# Between a JWT's parts written as separate literals (`join('.', ...)`, split tokens are
# key_bodies.py's): a list's comma, a comment's leader on the next line (`#`, `//`, `*`).
_PARTS = r"""["'][ \t]{0,4}[,+.]?[ \t]{0,4}(?:\r?\n[ \t]{0,40}(?:#|//|\*)?[ \t]{0,40})?["']"""


@dataclass(frozen=True)
class VendorToken:
    name: str
    anchors: tuple[str, ...]  # literals every token contains, matched case-sensitively
    patterns: tuple[str, ...]  # the span is the group named "value"
    lookback: int = 0  # 0: every token starts at its anchor (one `match` per occurrence)
    lookahead: int = 100  # characters after an anchor a pattern may read
    # Simple regexes for the prefilter (matched case-insensitively), replacing anchors that are
    # common words in lower case; empty: the anchors.
    triggers: tuple[str, ...] = ()


VENDOR_TOKENS: tuple[VendorToken, ...] = (
    # Access key ids only (AKIA long-term, ASIA temporary): AIDA/AROA/ANPA... are public unique ids.
    VendorToken("aws-key", ("AKIA", "ASIA", "A3T"),
                (rf"{_B}(?P<value>(?:AKIA|ASIA|A3T[A-Z0-9])[A-Z0-9]{{16}})(?![A-Z0-9])",)),
    # Chinese clouds' access key ids, one half of a credential pair like AWS's: Tencent Cloud's
    # SecretId ("AKID" + 32 letters and digits), Alibaba Cloud's AccessKey ID ("LTAI" + 12-20).
    VendorToken("cloud-key-id", ("AKID", "LTAI"), (
        r"(?<![A-Za-z0-9])(?P<value>AKID[A-Za-z0-9]{32})(?![A-Za-z0-9])",
        r"(?<![A-Za-z0-9])(?P<value>LTAI[A-Za-z0-9]{12,20})(?![A-Za-z0-9])",
    ), triggers=(r"(?-i:AKID)[A-Za-z0-9]{32}", r"(?-i:LTAI)[A-Za-z0-9]{12}")),
    # Firebase Cloud Messaging registration tokens (`<instance id>:APA91b...`), in push endpoints
    # (`fcm.googleapis.com/fcm/send/<token>`): they address one device's push channel.
    VendorToken("fcm-token", ("APA91b",), (r"(?<![\w\-])(?P<value>[\w\-]{8,40}:APA91b[\w\-]{60,300})(?![\w\-])",),
                lookback=42, lookahead=310),
    VendorToken("gcp-api-key", ("AIza",), (rf"{_B}(?P<value>AIza[0-9A-Za-z_\-]{{35}}){_E}",)),
    VendorToken("github-token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
                (rf"{_B}(?P<value>gh[pousr]_[A-Za-z0-9]{{36,251}}){_E}", rf"{_B}(?P<value>github_pat_\w{{50,250}}){_E}"),
                lookahead=270),
    VendorToken("gitlab-token", ("gl",), (rf"{_B}(?P<value>gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|agent)-[\w\-]{{20,64}}){_E}",),
                triggers=(r"gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|agent)-",)),
    VendorToken("slack-token", ("xox", "xapp-"), (
        rf"{_B}(?P<value>(?:xoxe\.)?xox[abposre]-(?:\d{{1,20}}-){{0,4}}[A-Za-z0-9\-]{{8,250}}){_E}",
        rf"{_B}(?P<value>xapp-\d-[A-Z0-9]{{8,14}}-\d{{10,16}}-[a-f0-9]{{64}}){_E}",  # app-level tokens
    ), lookahead=360),
    VendorToken("stripe-key", ("sk_", "rk_", "whsec_"),
                (rf"{_B}(?P<value>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{{3,247}}){_E}", rf"{_B}(?P<value>whsec_[A-Za-z0-9_+/=]{{8,100}})"),
                lookahead=270),
    VendorToken("twilio-key", ("SK", "AC"), (r"(?<![A-Za-z0-9])(?P<value>(?:SK|AC)[0-9a-f]{32})(?![A-Za-z0-9])",),
                triggers=(r"(?-i:(?:SK|AC))[0-9a-f]{32}",)),
    VendorToken("sendgrid-key", ("SG.",), (rf"{_B}(?P<value>SG\.[\w\-]{{22}}\.[\w\-]{{43}}){_E}",)),
    VendorToken("npm-token", ("npm_",), (rf"{_B}(?P<value>npm_[A-Za-z0-9]{{36}}){_E}",)),
    VendorToken("pypi-token", ("pypi-",), (rf"{_B}(?P<value>pypi-Ag[A-Za-z0-9_\-]{{50,400}}){_E}",), lookahead=420),
    VendorToken("huggingface-token", ("hf_", "api_org_"), (rf"{_B}(?P<value>(?:hf|api_org)_[A-Za-z0-9]{{30,40}}){_E}",)),
    VendorToken("openai-key", ("sk-",),
                (rf"{_B}(?P<value>sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?[A-Za-z0-9_\-]{{32,250}}){_E}",),
                lookahead=300, triggers=(r"sk-[a-z0-9_\-]{20}",)),
    VendorToken("google-oauth", ("ya29.", "GOCSPX-"), (
        rf"{_B}(?P<value>ya29\.[\w\-]{{30,500}}){_E}",  # OAuth access token
        rf"{_B}(?P<value>GOCSPX-[\w\-]{{28}}){_E}",  # OAuth client secret
    )),
    VendorToken("misc-token", ("shp", "dop_v1_", "doo_v1_", "dor_v1_", "hvs.", "glc_"), (
        rf"{_B}(?P<value>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{{32}}){_E}",  # Shopify
        rf"{_B}(?P<value>do[opr]_v1_[a-f0-9]{{64}}){_E}",  # DigitalOcean (personal, OAuth, refresh)
        rf"{_B}(?P<value>hvs\.[\w\-]{{24,200}}){_E}",  # HashiCorp Vault
        rf"{_B}(?P<value>glc_[A-Za-z0-9+/]{{32,200}}={{0,2}})",  # Grafana cloud
    ), lookahead=220, triggers=(r"shp(?:at|ca|pa|ss)_", r"do[opr]_v1_", r"hvs\.", "glc_")),
    # Prefixed tokens of developer platforms and SaaS APIs (each vendor's documented format).
    # Prefixed tokens of developer platforms and SaaS APIs (each vendor's documented format). One
    # alternation per row: a row's anchor then costs one `match`, not one per vendor.
    VendorToken("platform-token", ("dckr_pat_", "sbp_", "rubygems_", "glsa_", "PMAK-", "lin_api_", "dapi", "NRAK-", "pul-",
                                   "bkua_", "pscale_tkn_", "pnu_", "rdme_", "CFPAT-", "dp.pt.", "AGE-SECRET-KEY-1"), (
        rf"{_B}(?P<value>dckr_pat_[A-Za-z0-9_\-]{{27}}"  # Docker Hub
        r"|sbp_[a-f0-9]{40}"  # Supabase
        r"|rubygems_[a-f0-9]{48}"  # RubyGems
        r"|glsa_[A-Za-z0-9]{32}_[a-fA-F0-9]{8}"  # Grafana service accounts
        r"|PMAK-[a-f0-9]{24}-[a-f0-9]{34}"  # Postman
        r"|lin_api_[A-Za-z0-9]{40}"  # Linear
        r"|dapi[a-f0-9]{32}(?:-\d)?"  # Databricks
        r"|NRAK-[A-Z0-9]{27}"  # New Relic user keys
        r"|pul-[a-f0-9]{40}"  # Pulumi
        r"|bkua_[a-f0-9]{40}"  # Buildkite
        r"|pscale_tkn_[A-Za-z0-9_\-.]{43}"  # PlanetScale
        r"|pnu_[A-Za-z0-9]{36}"  # Prefect
        r"|rdme_[a-z0-9]{70}"  # ReadMe
        rf"|CFPAT-[A-Za-z0-9_\-]{{43}}){_E}",  # Contentful
        rf"(?<![\w.\-])(?P<value>dp\.pt\.[A-Za-z0-9]{{40,44}}){_E}",  # Doppler
        r"(?<![A-Z0-9\-])(?P<value>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Z0-9])",  # age
    ), lookahead=110, triggers=("dckr_pat_", "sbp_", "rubygems_", "glsa_", "PMAK-", "lin_api_", r"(?-i:dapi)[a-f0-9]{32}", "NRAK-",
                                r"pul-[a-f0-9]{40}", "bkua_", "pscale_tkn_", "pnu_", "rdme_", "CFPAT-", r"dp\.pt\.",
                                "AGE-SECRET-KEY-1")),
    VendorToken("ai-api-key", ("gsk_", "pplx-", "xai-", "r8_", "lsv2_"), (
        rf"{_B}(?P<value>gsk_[A-Za-z0-9]{{52}}"  # Groq
        r"|pplx-[A-Za-z0-9]{48}"  # Perplexity
        r"|xai-[A-Za-z0-9]{80}"  # xAI
        r"|r8_[A-Za-z0-9]{37}"  # Replicate
        rf"|lsv2_(?:pt|sk)_[a-f0-9]{{32}}_[a-f0-9]{{10}}){_E}",  # LangSmith
    ), lookahead=100),
    VendorToken("saas-api-key", ("xkeysib-", "ATATT3", "sq0atp-", "sq0csp-", "duffel_", "EZAK", "FLWSECK", "shippo_"), (
        rf"{_B}(?P<value>xkeysib-[a-f0-9]{{64}}-[A-Za-z0-9]{{16}}"  # Brevo (Sendinblue)
        r"|ATATT3[A-Za-z0-9_\-=]{186}"  # Atlassian API tokens
        r"|sq0(?:atp|csp)-[A-Za-z0-9_\-]{22,43}"  # Square
        r"|duffel_(?:test|live)_[A-Za-z0-9_\-=]{43}"  # Duffel
        r"|EZAK[A-Za-z0-9]{54}"  # EasyPost
        r"|FLWSECK(?:_TEST)?-[a-f0-9]{32}-X"  # Flutterwave
        rf"|shippo_(?:live|test)_[a-f0-9]{{40}}){_E}",  # Shippo
    ), lookahead=200, triggers=("xkeysib-", "ATATT3", r"sq0(?:atp|csp)-", "duffel_", r"(?-i:EZAK)[A-Za-z0-9]{54}", "FLWSECK",
                                "shippo_")),
    # Azure AD (Entra) client secrets carry `Q~` after 3 characters and a digit.
    VendorToken("azure-client-secret", ("Q~",), (r"(?<![\w~.\-])(?P<value>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?![\w~.\-])",),
                lookback=4, lookahead=40, triggers=(r"(?-i:\dQ~)[A-Za-z0-9_~.\-]{31}",)),
    # Mapbox secret tokens (`sk.` + a JWT-like body; `pk.` ones are public).
    VendorToken("mapbox-token", ("sk.eyJ",), (r"(?<![\w.\-])(?P<value>sk\.eyJ[\w\-]{50,400}\.[\w\-]{20,40})(?![\w\-])",),
                lookahead=450),
    # OAuth tokens in Google's formats: refresh tokens ("1//0..."), authorization codes ("4/0...").
    VendorToken("google-oauth-refresh", ("1//0", "4/0A", "4/0a"), (
        r"(?<![\w/.\-])(?P<value>1//0[\w\-]{40,500})(?![\w\-])",
        r"(?<![\w/.\-])(?P<value>4/0[Aa][\w\-]{40,300})(?![\w\-])",
    ), lookahead=520),
    # Pub/sub and messaging services: PubNub publish/subscribe/secret keys, Mailgun's
    # "key-" keys, Mailchimp's datacenter-suffixed keys, NATS nkey seeds.
    VendorToken("pubnub-key", ("pub-c-", "sub-c-", "sec-c-"), (
        rf"{_B}(?P<value>(?:pub|sub)-c-[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}){_E}",
        rf"{_B}(?P<value>sec-c-[A-Za-z0-9]{{40,64}}){_E}",
    )),
    VendorToken("mailgun-key", ("key-",), (rf"{_B}(?P<value>key-[0-9a-f]{{32}}){_E}",)),
    VendorToken("mailchimp-key", ("-us",), (r"(?<![A-Za-z0-9_\-])(?P<value>[0-9a-f]{32}-us\d{1,2})(?![A-Za-z0-9_\-])",),
                lookback=32, lookahead=10, triggers=(r"[0-9a-f]{32}-us\d",)),
    VendorToken("nkey-seed", ("SU", "SA", "SO", "SN", "SC", "SX"), (r"(?<![A-Z0-9])(?P<value>S[UAONCX][A-Z2-7]{56})(?![A-Z0-9])",),
                # Case-sensitive like the pattern: caselessly, every "sa", "so", "sc" of prose
                # started this 56-character repeat, ~15% of the prefilter's whole scan.
                triggers=(r"(?-i:S[UAONCX][A-Z2-7]{56})",)),
    VendorToken("telegram-token", (":AA",), (r"(?<!\d)(?P<value>\d{8,10}:AA[\w\-]{33})(?![\w\-])",), lookback=10),
    VendorToken("jwt", ("eyJ",), (
        r"(?<![\w\-])(?P<value>eyJ[\w\-]{8,4000}\.eyJ[\w\-]{2,8000}\.[\w\-]{0,4000})",
        r"(?<![\w\-])(?P<value>eyJ[\w\-]{8,4000}\.[\w\-]{8,8000}\.[\w\-]{16,4000})",
        # Its parts as separate literals (`join '.', 'eyJhbGciOi...', 'eyJ...', '<sig>'` in a doc's
        # comment): a JOSE header (`{"alg":`, `{"typ":`, `{"kid":` encoded), the payload (not a second
        # header: a list of headers), a signature.
        rf"""(?<=["'])(?P<value>eyJ(?:hbGciOi|0eXAiOi|raWQiOi)[\w\-]{{4,4000}}{_PARTS}eyJ(?!hbGciOi|0eXAiOi)[\w\-]{{2,8000}}(?:{_PARTS}[\w\-]{{16,4000}})?)["']""",
    ), lookahead=16100),
)


class TokenDetector(AnchoredDetector):
    """The detector of one `VendorToken` row; docs' `EXAMPLE` keys and masks are skipped."""

    label = Label.KEY
    score = 0.95
    keywords_ignore_case = False

    def __init__(self, row: VendorToken) -> None:
        self.name = row.name
        self.anchors = row.anchors
        self.patterns = tuple(re.compile(p) for p in row.patterns)
        self.lookback, self.lookahead = row.lookback, row.lookahead
        derive_anchor_data(self, row.triggers or None)

    def accept(self, text, match, start, end):
        value = text[start:end]
        if "EXAMPLE" in value.upper() or is_placeholder(value):
            return None  # docs' example keys, masks (`AKIAXXXXXXXXXXXXXXXX`)
        return start, end


for _row in VENDOR_TOKENS:
    register_factory(_row.name, partial(TokenDetector, _row))
