// fp16 conversion and blobs, histogram log-count encoding, SHA-256 vectors.
#include "store/half.h"
#include "store/profile_store.h"
#include "store/sha256.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace archscope;

class TestStoreBlobs : public QObject {
    Q_OBJECT
private slots:
    void halfKnownBitPatterns() {
        QCOMPARE(floatToHalf(1.0f), uint16_t(0x3c00));
        QCOMPARE(floatToHalf(-2.0f), uint16_t(0xc000));
        QCOMPARE(floatToHalf(0.0f), uint16_t(0x0000));
        QCOMPARE(floatToHalf(-0.0f), uint16_t(0x8000));
        QCOMPARE(floatToHalf(65504.0f), uint16_t(0x7bff));     // largest finite
        QCOMPARE(floatToHalf(1e6f), uint16_t(0x7c00));         // overflow -> inf
        QCOMPARE(floatToHalf(-INFINITY), uint16_t(0xfc00));
        QCOMPARE(floatToHalf(std::ldexp(1.0f, -24)), uint16_t(0x0001));  // smallest subnormal
        QCOMPARE(floatToHalf(std::ldexp(1.0f, -14)), uint16_t(0x0400));  // smallest normal
        QCOMPARE(floatToHalf(0.1f), uint16_t(0x2e66));
        QCOMPARE(floatToHalf(std::ldexp(1.0f, -26)), uint16_t(0x0000));  // below half the smallest subnormal
        QVERIFY((floatToHalf(NAN) & 0x7c00) == 0x7c00 && (floatToHalf(NAN) & 0x3ff) != 0);
        // Ties to even: 1 + 2^-11 is halfway between 0x3c00 and 0x3c01 -> 0x3c00;
        // 1 + 3*2^-11 is halfway between 0x3c01 and 0x3c02 -> 0x3c02.
        QCOMPARE(floatToHalf(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00));
        QCOMPARE(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02));
        // Mantissa carry into the exponent: just under 2 rounds up to 2.
        QCOMPARE(floatToHalf(2.0f - std::ldexp(1.0f, -13)), uint16_t(0x4000));
    }

    void everyHalfRoundTrips() {
        for (uint32_t h = 0; h < 0x10000; ++h) {
            float f = halfToFloat(uint16_t(h));
            if (std::isnan(f)) { QVERIFY((h & 0x7c00) == 0x7c00 && (h & 0x3ff)); continue; }
            if (floatToHalf(f) != h) QFAIL(qPrintable(QString("half 0x%1 did not round-trip").arg(h, 4, 16, QChar('0'))));
        }
        QCOMPARE(halfToFloat(0x0001), std::ldexp(1.0f, -24));
        QCOMPARE(halfToFloat(0x3555), 0.333251953125f);
    }

    void randomFloatsWithinHalfUlp() {
        std::mt19937 rng(11);
        std::uniform_real_distribution<float> u(-60000.0f, 60000.0f);
        for (int i = 0; i < 100000; ++i) {
            float x = u(rng) * (i % 2 ? 1e-3f : 1.0f);
            if (std::fabs(x) < 6.2e-5f) continue;  // normal range only for the relative bound
            float y = halfToFloat(floatToHalf(x));
            QVERIFY(std::fabs(y - x) <= std::ldexp(std::fabs(x), -11));
        }
    }

    void blobRoundTrip() {
        std::vector<float> v{0.0f, 1.0f, -0.5f, 0.25f, 1024.0f, 0.000061035156f};
        std::string b = encodeHalfBlob(v.data(), v.size());
        QCOMPARE(b.size(), v.size() * 2);
        QCOMPARE(uint8_t(b[2]), uint8_t(0x00));  // little-endian 0x3c00
        QCOMPARE(uint8_t(b[3]), uint8_t(0x3c));
        QCOMPARE(decodeHalfBlob(b.data(), b.size()), v);
        QVERIFY(decodeHalfBlob(b.data(), 3).empty());
        std::vector<float> w{3.14159f, -1e30f, 7e-40f};
        std::string f = encodeF32Blob(w.data(), w.size());
        QCOMPARE(decodeF32Blob(f.data(), f.size()), w);
    }

    void histogramLogCounts() {
        std::vector<int64_t> small;
        for (int64_t c = 0; c <= 200; ++c) small.push_back(c);
        QCOMPARE(decodeHistogram(encodeHistogram(small)), small);
        std::vector<int64_t> big{1000, 123456, 99999999};
        auto back = decodeHistogram(encodeHistogram(big));
        for (size_t i = 0; i < big.size(); ++i) QVERIFY(std::fabs(double(back[i] - big[i])) <= 0.01 * double(big[i]));
    }

    void sha256Vectors() {
        QCOMPARE(QString::fromStdString(sha256Hex("")), QString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(QString::fromStdString(sha256Hex("abc")), QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(QString::fromStdString(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
                 QString("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        QCOMPARE(QString::fromStdString(sha256Hex(std::string(1000, 'a'))),
                 QString::fromLatin1(QCryptographicHash::hash(QByteArray(1000, 'a'), QCryptographicHash::Sha256).toHex()));
    }
};

QTEST_GUILESS_MAIN(TestStoreBlobs)
#include "test_store_blobs.moc"
