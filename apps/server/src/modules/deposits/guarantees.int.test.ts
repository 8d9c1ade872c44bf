import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines, problem } from '../../../test/harness';
import { depositWorld, lotUrl, TENDER, LOT, type DepositWorld } from './deposits.fixture';
import { depositStatus } from './index';
import { issuerSignatureValid } from './adapters/issuer';

describeEngines('deposits: electronic guarantees verified with the issuer', (engine) => {
  let w: DepositWorld;
  beforeAll(async () => {
    // A lot where cash is not accepted (e.g. 政府采购 asking for non-cash forms)
    w = await depositWorld(engine, { cashAllowed: false });
  });
  afterAll(() => w.close());

  const attach = (guaranteeNo: string, issuerCode = 'demo_issuer', s = w.s.a) =>
    s.post(`${lotUrl}/guarantees`, { issuerCode, guaranteeNo });
  const rejected = async (guaranteeNo: string) => {
    w.t.clock.advance(1000);
    const r = await attach(guaranteeNo);
    expect(r.statusCode).toBe(422);
    const p = problem(r) as ReturnType<typeof problem> & { details: { problems: string[] } };
    expect(p).toMatchObject({ code: 'GUARANTEE_REJECTED', field: 'guaranteeNo' });
    return p.details.problems;
  };
  const statusA = () =>
    depositStatus(w.t.ctx.db, {
      tenderId: TENDER,
      lotId: LOT,
      bidderOrgId: w.orgs.a,
      requiredFen: 200_000_00,
      cashAllowed: false,
      validThrough: w.requirement.bidValidUntil,
    });

  it('cash is refused where the lot allows none', async () => {
    expect(problem(await w.s.a.post(`${lotUrl}/sub-accounts`, {})).code).toBe('DEPOSIT_CASH_NOT_ALLOWED');
  });

  it('rejects a guarantee the issuer does not know, one too small, expiring too early, for another beneficiary or lot, or revoked', async () => {
    expect(await rejected('BH-NONE')).toEqual(['not_found']);
    w.guarantee('BH-SMALL', { amountFen: 199_999_99 });
    expect(await rejected('BH-SMALL')).toEqual(['amount_too_small']);
    w.guarantee('BH-SHORT', { validUntil: '2027-01-31T16:00:00Z' });
    expect(await rejected('BH-SHORT')).toEqual(['validity_too_short']);
    w.guarantee('BH-BENEF', { beneficiary: { name: '别的招标人', uscc: '11350200MB2DEPOS2X' } });
    expect(await rejected('BH-BENEF')).toEqual(['wrong_beneficiary']);
    w.guarantee('BH-LOT', { lotId: 'L2' });
    expect(await rejected('BH-LOT')).toEqual(['wrong_lot']);
    w.guarantee('BH-REVOKED', { status: 'revoked' });
    expect(await rejected('BH-REVOKED')).toEqual(['not_valid_status']);
    // A guarantee bought by bidder B cannot be used by bidder A
    w.guarantee('BH-OF-B', { applicant: { name: '乙工程有限公司', uscc: '91350200MA2DEPOSBX' } });
    expect(await rejected('BH-OF-B')).toEqual(['wrong_applicant']);
    const mine = (await w.s.a.get(`${lotUrl}/mine`)).json();
    // Every attempt stays on file with its reasons, in both languages
    expect(mine.guarantees.map((g: { guaranteeNo: string; status: string }) => [g.guaranteeNo, g.status])).toEqual(
      ['BH-NONE', 'BH-SMALL', 'BH-SHORT', 'BH-BENEF', 'BH-LOT', 'BH-REVOKED', 'BH-OF-B'].map((n) => [n, 'rejected']),
    );
    expect(mine.guarantees[1].problems[0]).toEqual({
      code: 'amount_too_small',
      message: { zh: '担保金额低于应缴保证金', en: 'the amount is below the required deposit' },
    });
    expect((await statusA()).status).toBe('missing');
  });

  it('rejects a forged answer (signed with a key the platform has not registered) and a replayed answer', async () => {
    w.guarantee('BH-FORGED');
    const real = w.issuer.signingKey;
    w.issuer.signingKey = generateKeyPairSync('ed25519').privateKey;
    try {
      expect(await rejected('BH-FORGED')).toEqual(['signature_invalid']);
    } finally {
      w.issuer.signingKey = real;
    }
    w.issuer.replayNonce = '00112233445566778899aabbccddeeff';
    try {
      expect(await rejected('BH-FORGED')).toEqual(['nonce_mismatch']);
    } finally {
      w.issuer.replayNonce = null;
    }
  });

  it('accepts a right guarantee, ledgers it with the issuer’s signed bytes, and the deposit is satisfied', async () => {
    w.guarantee('BH-GOOD', { amountFen: 250_000_00 });
    const r = await attach('BH-GOOD');
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ guaranteeNo: 'BH-GOOD', status: 'verified', amountFen: 250_000_00, problems: [] });
    expect(await statusA()).toMatchObject({ status: 'satisfied', by: 'guarantee', guaranteeFen: 250_000_00 });
    const row = await w.t.ctx.db
      .selectFrom('deposit_guarantees')
      .select(['document', 'signature'])
      .where('guarantee_no', '=', 'BH-GOOD')
      .executeTakeFirstOrThrow();
    // The stored bytes still verify against the issuer's registered key (anyone can re-check the record later).
    expect(issuerSignatureValid(w.issuer.publicKeyPem, Buffer.from((row.document as { raw: string }).raw, 'utf8'), row.signature!)).toBe(
      true,
    );
    const ledger = await w.t.ctx.db
      .selectFrom('ledger_entries')
      .select(['type', 'subject_type', 'payload'])
      .where('type', '=', 'deposit.guarantee_verified')
      .execute();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      subject_type: 'deposit_guarantee',
      payload: { guaranteeNo: 'BH-GOOD', tenderId: TENDER, lotId: LOT },
    });
    // The same guarantee again for the same bid is the same record; another bidder cannot use it (not the applicant)
    expect((await attach('BH-GOOD')).json().id).toBe(r.json().id);
    const b = await attach('BH-GOOD', 'demo_issuer', w.s.b);
    expect(problem(b)).toMatchObject({ code: 'GUARANTEE_REJECTED', details: { problems: ['wrong_applicant'] } });
  });

  it('an unknown or unreachable issuer is an error that records nothing', async () => {
    expect(problem(await attach('BH-GOOD', 'no_issuer')).code).toBe('ISSUER_UNKNOWN');
    const { registerIssuer } = await import('./index');
    await registerIssuer(
      w.t.ctx.db,
      null,
      { code: 'down_issuer', name: '停机的机构', apiBaseUrl: 'http://127.0.0.1:9', publicKeyPem: w.issuer.publicKeyPem },
      w.t.clock.now(),
    );
    const before = await w.t.ctx.db.selectFrom('deposit_guarantees').select('id').execute();
    const r = await attach('BH-GOOD', 'down_issuer');
    expect(r.statusCode).toBe(502);
    expect(problem(r).code).toBe('ISSUER_UNAVAILABLE');
    expect(await w.t.ctx.db.selectFrom('deposit_guarantees').select('id').execute()).toHaveLength(before.length);
  });

  it('administrators register issuers and banks over the API; the HMAC secret is never echoed', async () => {
    const body = { name: '另一家担保公司', apiBaseUrl: w.issuer.url, publicKeyPem: w.issuer.publicKeyPem };
    expect(problem(await w.s.finance.put('/api/deposits/admin/issuers/second_issuer', body)).code).toBe('FORBIDDEN_ROLE');
    expect((await w.s.admin.put('/api/deposits/admin/issuers/second_issuer', body)).statusCode).toBe(204);
    const notEd = {
      ...body,
      publicKeyPem: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    expect(problem(await w.s.admin.put('/api/deposits/admin/issuers/second_issuer', notEd))).toMatchObject({
      code: 'ISSUER_KEY_INVALID',
      field: 'publicKeyPem',
    });
    const bank = {
      name: '第二银行',
      masterAccountName: '保证金专户',
      masterAccountNo: '3502000099990000',
      subAccountPrefix: '35029',
      hmacSecret: 'x'.repeat(32),
    };
    expect((await w.s.admin.put('/api/deposits/admin/banks/second_bank', bank)).statusCode).toBe(204);
    expect(problem(await w.s.admin.put('/api/deposits/admin/banks/second_bank', { ...bank, hmacSecret: 'short' })).code).toBe(
      'VALIDATION_FAILED',
    );
    const listed = (await w.s.a.get('/api/deposits/banks')).json();
    expect(listed).toContainEqual({ code: 'second_bank', name: '第二银行' });
    const entry = await w.t.ctx.db
      .selectFrom('ledger_entries')
      .select('payload')
      .where('type', '=', 'deposit.bank_registered')
      .where('subject_id', '=', 'second_bank')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(entry.payload)).not.toContain('x'.repeat(32));
  });
});
