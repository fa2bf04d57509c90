// A provider token (ES256 JWT) for h2load, which has no client certificates:
//   node scripts/make-jwt.js AuthKey_KEYID.p8 KEYID TEAMID
const crypto = require("crypto");
const [key, kid, iss] = process.argv.slice(2);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const input = b64({ alg: "ES256", kid }) + "." + b64({ iss, iat: Math.floor(Date.now() / 1000) });
const sig = crypto.sign("sha256", Buffer.from(input), {
  key: require("fs").readFileSync(key),
  dsaEncoding: "ieee-p1363",
});
console.log(input + "." + sig.toString("base64url"));
