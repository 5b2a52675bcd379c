package dev.driftlock.cbad.harness2;

import java.util.List;

/**
 * Card payments as JSON (Stripe-like charge objects): 600 cards with Zipf activity and a home
 * country each, 150 merchants with their own category, MCC, channel mix and log-normal amount level
 * (medians from about 4 to 600 in local currency, so amounts are heavy-tailed stream-wide), about 4 %
 * declines, 3 % card-not-present cross-border purchases, a diurnal arrival rate around 0.8 charges/s,
 * and volatile charge ids, timestamps, auth codes and client IPs.
 *
 * <p>Classes (three incidents per stream, after a normal prefix of 30 % of the stream):
 * <ul>
 *   <li>{@code card_testing}: one card, 25-40 online charges of 0.50-2.00 within 2-5 minutes at one
 *       or two merchants, mostly declined;</li>
 *   <li>{@code impossible_travel}: an active card pays in person at home, then 3-5 card-present
 *       charges in a far country 3-12 minutes later (only those are labelled);</li>
 *   <li>{@code amount_drift}: one busy merchant's amounts inflate from 1.2x to 4x over 15 % of the
 *       stream, every value staying inside the stream-wide range (its charges in the window are labelled);</li>
 *   <li>{@code new_category}: a new merchant with a merchant category and MCC never seen before
 *       takes 6-12 charges from different cards within 5-15 minutes.</li>
 * </ul>
 */
final class PaymentsGen {

    static final List<String> CLASSES = List.of("card_testing", "impossible_travel", "amount_drift", "new_category");

    private static final String[][] COUNTRIES = {
            {"US", "USD"}, {"GB", "GBP"}, {"DE", "EUR"}, {"FR", "EUR"}, {"NL", "EUR"}, {"ES", "EUR"},
            {"IT", "EUR"}, {"CA", "CAD"}, {"SE", "SEK"}, {"IE", "EUR"}};
    private static final double[] COUNTRY_WEIGHT = Gen.cumulative(40, 15, 12, 8, 6, 5, 5, 5, 2, 2);
    private static final String[][] FAR = {{"TH", "THB"}, {"BR", "BRL"}, {"NG", "NGN"}, {"ID", "IDR"},
            {"PH", "PHP"}, {"VN", "VND"}};
    private static final String[][] CATEGORIES = {
            {"grocery_stores_supermarkets", "5411"}, {"eating_places_restaurants", "5812"},
            {"fast_food_restaurants", "5814"}, {"service_stations", "5541"}, {"drug_stores_pharmacies", "5912"},
            {"taxicabs_limousines", "4121"}, {"digital_goods_media", "5815"}, {"clothing_stores", "5651"},
            {"electronics_stores", "5732"}, {"hotels_motels_resorts", "7011"}, {"airlines_air_carriers", "4511"},
            {"book_stores", "5942"}, {"cable_satellite_tv", "4899"}, {"computer_software_stores", "5734"},
            {"department_stores", "5311"}, {"bakeries", "5462"}, {"parking_lots_garages", "7523"},
            {"charitable_social_service_organizations", "8398"}};
    private static final String[][] NEW_CATEGORIES = {
            {"betting_casino_gambling", "7995"}, {"wires_money_orders", "4829"},
            {"non_fi_stored_value_card_purchase_load", "6540"}, {"pawn_shops", "5933"}};
    private static final String[] BRANDS = {"visa", "visa", "visa", "mastercard", "mastercard", "amex"};
    private static final String[] DECLINES = {"insufficient_funds", "do_not_honor", "incorrect_cvc",
            "expired_card", "generic_decline"};

    private record Card(String fingerprint, String brand, String bin, int home, String last4) {
    }

    private record Merchant(String name, int category, int country, double median, double online) {
    }

    private final Gen g;
    private final Card[] cards = new Card[600];
    private final Merchant[] merchants = new Merchant[150];
    private final double[] cardWeight = Gen.zipf(600, 0.9);
    private final double[] merchantWeight = Gen.zipf(150, 1.0);
    private final LabelledData.Builder out = new LabelledData.Builder();
    private final Timeline timeline = new Timeline();
    /** Merchant whose amounts drift, and the drift window in records. */
    private int driftMerchant = -1;
    private int driftFrom;
    private int driftTo;
    private String driftIncident;

    private PaymentsGen(long seed) {
        g = new Gen(seed);
        for (int i = 0; i < cards.length; i++) {
            String brand = g.pick(BRANDS);
            String bin = (brand.equals("visa") ? "4" : brand.equals("amex") ? "37" : "5") + (10000 + g.nextInt(89999));
            cards[i] = new Card(g.token(16), brand, bin.substring(0, 6), g.pick(COUNTRY_WEIGHT),
                    String.valueOf(1000 + g.nextInt(9000)));
        }
        for (int i = 0; i < merchants.length; i++) {
            double median = Math.min(600, Math.max(4, g.lognormal(30, 1.0)));
            merchants[i] = new Merchant("mrc_" + g.slug(10), g.nextInt(CATEGORIES.length), g.pick(COUNTRY_WEIGHT),
                    median, g.chance(0.35) ? 1.0 : g.uniform(0, 0.4));
        }
    }

    static LabelledData generate(String klass, long seed, int n) {
        PaymentsGen p = new PaymentsGen(seed);
        return p.run(klass, n);
    }

    private LabelledData run(String klass, int n) {
        int[] starts = {(int) (n * 0.30), (int) (n * 0.55), (int) (n * 0.80)};
        int next = klass.equals("none") ? starts.length : 0;
        while (out.size() < n) {
            g.advance(0.8);
            timeline.flush(g.now, out);
            if (next < starts.length && out.size() >= starts[next]) {
                inject(klass, next + 1, n);
                next++;
            }
            normal();
        }
        // scheduled records past the end still belong to the stream (an incident is never cut off)
        timeline.flush(Long.MAX_VALUE, out);
        return out.build("payments", klass, "jsonl", null);
    }

    private void inject(String klass, int k, int n) {
        String id = "I" + k + "_" + klass;
        switch (klass) {
            case "card_testing" -> cardTesting(id);
            case "impossible_travel" -> impossibleTravel(id);
            case "amount_drift" -> {
                driftMerchant = 1 + g.nextInt(4); // a busy merchant (Zipf rank 2-5)
                while (merchants[driftMerchant].online() >= 1.0 && driftMerchant < 8) {
                    driftMerchant++;
                }
                driftFrom = out.size();
                driftTo = out.size() + (int) (n * 0.15);
                driftIncident = id;
            }
            case "new_category" -> newCategory(id, k);
            default -> throw new IllegalArgumentException("payments class " + klass);
        }
    }

    private void normal() {
        int c = g.pick(cardWeight);
        int m = g.pick(merchantWeight);
        Merchant merchant = merchants[m];
        double amount = g.lognormal(merchant.median(), 0.6);
        String label = "";
        if (m == driftMerchant && out.size() >= driftFrom && out.size() < driftTo) {
            double f = 1.2 + 2.8 * (out.size() - driftFrom) / (double) (driftTo - driftFrom);
            amount *= f;
            label = driftIncident;
        }
        boolean online = g.chance(merchant.online());
        int country = cards[c].home();
        String[] where = COUNTRIES[country];
        if (online && g.chance(0.06)) {
            where = COUNTRIES[g.nextInt(COUNTRIES.length)]; // cross-border card-not-present purchase
        }
        boolean declined = g.chance(0.04);
        out.add(charge(g.now, cards[c], merchant.name(), CATEGORIES[merchant.category()], amount, where,
                online ? "online" : "card_present", declined), label);
    }

    private String charge(long time, Card card, String merchant, String[] category, double amount, String[] where,
                          String channel, boolean declined) {
        double shown = where[1].equals("JPY") || where[1].equals("IDR") || where[1].equals("VND")
                ? Math.round(amount * 100) : amount;
        StringBuilder sb = new StringBuilder(360);
        sb.append("{\"id\":").append(Gen.q("ch_" + g.token(24)))
                .append(",\"object\":\"charge\",\"created\":").append(Gen.q(Gen.iso(time)))
                .append(",\"amount\":").append(Gen.num(shown, 2))
                .append(",\"currency\":").append(Gen.q(where[1].toLowerCase()))
                .append(",\"card\":{\"fingerprint\":").append(Gen.q(card.fingerprint()))
                .append(",\"brand\":").append(Gen.q(card.brand()))
                .append(",\"bin\":").append(Gen.q(card.bin()))
                .append(",\"last4\":").append(Gen.q(card.last4()))
                .append(",\"country\":").append(Gen.q(COUNTRIES[card.home()][0]))
                .append("},\"merchant\":").append(Gen.q(merchant))
                .append(",\"category\":").append(Gen.q(category[0]))
                .append(",\"mcc\":").append(Gen.q(category[1]))
                .append(",\"channel\":").append(Gen.q(channel))
                .append(",\"country\":").append(Gen.q(where[0]));
        if (channel.equals("online")) {
            sb.append(",\"ip\":").append(Gen.q(g.ipv4()));
        }
        sb.append(",\"status\":").append(Gen.q(declined ? "failed" : "succeeded"));
        if (declined) {
            sb.append(",\"decline_code\":").append(Gen.q(g.pick(DECLINES)));
        } else {
            sb.append(",\"auth_code\":").append(Gen.q(String.valueOf(100000 + g.nextInt(900000))));
        }
        sb.append(",\"risk_score\":").append(Math.min(99, (int) g.pareto(4, 1.6))).append('}');
        return sb.toString();
    }

    private void cardTesting(String id) {
        Card card = g.chance(0.5) ? cards[300 + g.nextInt(300)] // a quiet card from the tail
                : new Card(g.token(16), "visa", "4" + (10000 + g.nextInt(89999)), g.pick(COUNTRY_WEIGHT), "0" + (100 + g.nextInt(900)));
        int count = 25 + g.nextInt(16);
        long span = (120 + g.nextInt(180)) * 1000L;
        int m1 = 20 + g.nextInt(100);
        int m2 = 20 + g.nextInt(100);
        String ip = g.ipv4();
        long t = g.now;
        for (int i = 0; i < count; i++) {
            t += Math.max(200, Math.round(-Math.log(1 - g.uniform()) * span / count));
            Merchant m = merchants[g.chance(0.7) ? m1 : m2];
            double amount = g.chance(0.3) ? 1.00 : g.uniform(0.5, 2.0);
            String rec = charge(t, card, m.name(), CATEGORIES[m.category()], amount, COUNTRIES[card.home()], "online",
                    g.chance(0.75));
            rec = rec.replaceFirst("\"ip\":\"[0-9.]+\"", "\"ip\":\"" + ip + "\"");
            timeline.schedule(t, rec, id);
        }
    }

    private void impossibleTravel(String id) {
        Card card = cards[g.nextInt(40)]; // an active card
        String[] home = COUNTRIES[card.home()];
        Merchant local = merchants[g.nextInt(60)];
        timeline.schedule(g.now + 1000, charge(g.now + 1000, card, local.name(), CATEGORIES[local.category()],
                g.lognormal(local.median(), 0.5), home, "card_present", false), "");
        String[] far = g.pick(FAR);
        long t = g.now + (180 + g.nextInt(540)) * 1000L;
        int count = 3 + g.nextInt(3);
        for (int i = 0; i < count; i++) {
            Merchant m = merchants[g.nextInt(merchants.length)];
            timeline.schedule(t, charge(t, card, m.name(), CATEGORIES[m.category()], g.lognormal(m.median(), 0.6),
                    far, "card_present", g.chance(0.2)), id);
            t += (20 + g.nextInt(200)) * 1000L;
        }
    }

    private void newCategory(String id, int k) {
        String[] category = NEW_CATEGORIES[(k - 1) % NEW_CATEGORIES.length];
        String name = "mrc_" + g.slug(10);
        int count = 6 + g.nextInt(7);
        long t = g.now;
        long span = (300 + g.nextInt(600)) * 1000L;
        for (int i = 0; i < count; i++) {
            t += Math.max(1000, Math.round(-Math.log(1 - g.uniform()) * span / count));
            Card card = cards[g.pick(cardWeight)];
            timeline.schedule(t, charge(t, card, name, category, g.lognormal(150, 0.8), COUNTRIES[card.home()],
                    g.chance(0.7) ? "online" : "card_present", g.chance(0.1)), id);
        }
    }
}
