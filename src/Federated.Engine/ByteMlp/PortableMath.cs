namespace Federated.Engine.ByteMlp;

/// <summary>
/// exp, log and tanh built only from IEEE basic operations (+, -, *, /, rounding to integer), which are
/// correctly rounded everywhere. Math.Exp and friends come from the platform's C library and may differ
/// in the last bit between operating systems; training must give the same bytes on every worker, so the
/// model uses these instead. Evaluated in double and accurate to a few double ulps, far below float
/// resolution.
/// </summary>
public static class PortableMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01; // ln 2, top 32 bits: k * Ln2Hi is exact
    private const double Ln2Lo = 1.90821492927058770002e-10; // ln 2 - Ln2Hi
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double Sqrt2 = 1.41421356237309504880;

    /// <summary>e^x. Returns 0 below -708 (far below float's range) and +infinity above 709.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.0) return double.PositiveInfinity;
        if (x < -708.0) return 0.0;
        // x = k ln2 + r with |r| <= ln2 / 2; e^x = 2^k e^r and e^r comes from its Taylor series.
        double k = Math.Round(x * InvLn2);
        double r = (x - k * Ln2Hi) - k * Ln2Lo;
        double p = 1.0 / 6227020800.0; // 1/13!
        p = p * r + 1.0 / 479001600.0;
        p = p * r + 1.0 / 39916800.0;
        p = p * r + 1.0 / 3628800.0;
        p = p * r + 1.0 / 362880.0;
        p = p * r + 1.0 / 40320.0;
        p = p * r + 1.0 / 5040.0;
        p = p * r + 1.0 / 720.0;
        p = p * r + 1.0 / 120.0;
        p = p * r + 1.0 / 24.0;
        p = p * r + 1.0 / 6.0;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        // k is in [-1021, 1023] here, so 2^k is a normal double built straight from its exponent bits.
        return p * BitConverter.Int64BitsToDouble((long)((int)k + 1023) << 52);
    }

    /// <summary>Natural logarithm; NaN below 0, -infinity at 0.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;
        int e = 0;
        if (x < 2.2250738585072014e-308) { x *= 18014398509481984.0; e = -54; } // subnormal: scale by 2^54
        long bits = BitConverter.DoubleToInt64Bits(x);
        e += (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L); // [1, 2)
        if (m > Sqrt2) { m *= 0.5; e++; }
        // ln m = 2 atanh(s) with s = (m-1)/(m+1), |s| <= 0.1716: the odd series converges fast.
        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double q = 1.0 / 21;
        q = q * s2 + 1.0 / 19;
        q = q * s2 + 1.0 / 17;
        q = q * s2 + 1.0 / 15;
        q = q * s2 + 1.0 / 13;
        q = q * s2 + 1.0 / 11;
        q = q * s2 + 1.0 / 9;
        q = q * s2 + 1.0 / 7;
        q = q * s2 + 1.0 / 5;
        q = q * s2 + 1.0 / 3;
        q = q * s2 + 1.0;
        return e * Ln2Hi + (2.0 * s * q + e * Ln2Lo);
    }

    /// <summary>Hyperbolic tangent, rounded to float.</summary>
    public static float Tanh(float x)
    {
        if (float.IsNaN(x)) return x;
        double a = Math.Abs((double)x);
        double t;
        if (a < 0.125)
        {
            // Near 0, (1 - e)/(1 + e) would cancel; the Taylor series is accurate to 1e-15 here.
            double a2 = a * a;
            double q = -929569.0 / 638512875;
            q = q * a2 + 21844.0 / 6081075;
            q = q * a2 - 1382.0 / 155925;
            q = q * a2 + 62.0 / 2835;
            q = q * a2 - 17.0 / 315;
            q = q * a2 + 2.0 / 15;
            q = q * a2 - 1.0 / 3;
            t = a + a * a2 * q;
        }
        else if (a > 20)
        {
            t = 1.0; // tanh(20) rounds to 1 in float
        }
        else
        {
            double e = Exp(-2.0 * a);
            t = (1.0 - e) / (1.0 + e);
        }
        return (float)(x < 0 ? -t : t);
    }
}
