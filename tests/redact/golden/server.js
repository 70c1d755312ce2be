/**
 * API gateway.
 * @author Chidi Okonkwo <chidi@lagoon-labs.dev>
 */
const express = require("express");
const jwt = require("jsonwebtoken");

const JWT_SECRET = "kT9vQ2fakeZr4mWc8yHb3nFd6sJg1aEu";
const MONGO_URL = "mongodb://gateway:Pz4-fake-Kr8@db.lagoon-labs.dev:27017/api";
const SLACK_WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";

// Thanks to @mbeltran for the rate limiter.
const app = express();
app.get("/health", (req, res) => res.json({ ok: true, upstream: "198.51.100.7" }));

function sign(user) {
  return jwt.sign({ sub: user.id }, JWT_SECRET, { expiresIn: "1h" });
}
module.exports = { app, sign };
